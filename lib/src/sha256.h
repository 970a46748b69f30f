/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 and HMAC-SHA256 for the SigV4 signer, without OpenSSL 3's
 * per-call provider dispatch; HMAC from precomputed key states.
 */
#ifndef EC_SHA256_H
#define EC_SHA256_H

#include <stddef.h>

#include <openssl/sha.h>

/* HMAC-SHA256 with one key, kept as the two SHA-256 states after the
 * key's ipad and opad blocks (the midstates), so each MAC costs only its
 * message's blocks and one outer block. Secret-equivalent: anyone holding
 * it can sign. Wipe it with ecp_hmac_key_wipe. */
typedef struct ecp_hmac_key {
    SHA256_CTX inner;
    SHA256_CTX outer;
} ecp_hmac_key;

/* SHA-256 of len bytes. Cannot fail. */
void ecp_sha256(const void *data, size_t len, unsigned char out[32]);

/* Set k to the midstates of key (any length; a key longer than a block is
 * hashed first, as RFC 2104 says). The padded key blocks are wiped. */
void ecp_hmac_key_init(ecp_hmac_key *k, const void *key, size_t keylen);

/* HMAC(k's key, data) into out; k is left as it was. */
void ecp_hmac_sha256(const ecp_hmac_key *k, const void *data, size_t len,
                     unsigned char out[32]);

/* HMAC(key, data) in one call, with the midstates wiped afterwards. */
void ecp_hmac_sha256_once(const void *key, size_t keylen, const void *data,
                          size_t len, unsigned char out[32]);

/* Zero k (OPENSSL_cleanse: not optimised away). */
void ecp_hmac_key_wipe(ecp_hmac_key *k);

/* The state after one message's first 64-byte block, kept to hash the
 * next message that starts with the same block without compressing it
 * again (a client's canonical requests share their first block: method,
 * path, query and the first headers). Holds that block in the clear: use
 * it only for public data. All zero bytes is an empty cache. */
typedef struct ecp_sha256_prefix {
    SHA256_CTX state;
    unsigned char block[64];
    int valid;
} ecp_sha256_prefix;

/* SHA-256 of len bytes, as ecp_sha256, starting from p's state when the
 * data begins with p's block; otherwise p takes the data's first block
 * (when it has one). The digest is the same either way. */
void ecp_sha256_with_prefix(ecp_sha256_prefix *p, const void *data, size_t len,
                            unsigned char out[32]);

#endif
