/* Placeholder: to be written. */
#include "util.h"
