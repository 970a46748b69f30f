/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 and HMAC-SHA256 for the SigV4 signer through OpenSSL's low-level
 * SHA256_Init/Update/Final, the one place the library uses an API that
 * OpenSSL 3 deprecates.
 *
 * Why: these run the same assembly as EVP (SHA-NI where the CPU has it)
 * without EVP's provider dispatch. Measured with callgrind on OpenSSL 3.0
 * (bench/README.md, signing): per digest, EVP_DigestInit_ex2 + Update +
 * Final cost about 650 instructions beyond the compression blocks (it
 * frees and reallocates the provider context each time) and
 * EVP_MD_CTX_copy_ex from a prepared context about 560; an HMAC through a
 * keyed EVP_MAC_CTX about 2 300, and through EVP_MD_CTX_copy_ex'd ipad and
 * opad contexts about 1 750; here, about 300 and 650. A cached-key
 * signature does two digests and one HMAC, so this takes it from about
 * 1.5x to about 1.1x its SHA-256 blocks.
 *
 * If a future OpenSSL drops these functions (OPENSSL_NO_DEPRECATED_3_0, or
 * their removal), replace this file's bodies with EVP: ecp_sha256 with
 * EVP_Digest on a fetched EVP_MD, and ecp_hmac_sha256 with EVP_MD_CTX
 * inner and outer contexts prepared once per key and EVP_MD_CTX_copy_ex'd
 * per MAC (the next fastest, measured above). The interface in sha256.h
 * stays; only SHA256_CTX in it becomes two EVP_MD_CTX pointers.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* here only; see above */

#include "sha256.h"

#include <string.h>

#include <openssl/crypto.h>

#define BLOCK 64

/* SHA256_Init, _Update and _Final return 1 whatever their input: OpenSSL
 * has no failure path in them, so neither has this file.
 *
 * What a state holds after SHA256_Final: the digest (in h) and nothing of
 * the input, whose last partial block Final wipes (OPENSSL_cleanse in
 * md32_common.h). So the states on the stack below need no wiping of
 * their own; the padded key blocks and the midstates do. */

void ecp_sha256(const void *data, size_t len, unsigned char out[32])
{
    SHA256_CTX c;

    SHA256_Init(&c);
    SHA256_Update(&c, data, len);
    SHA256_Final(out, &c);
}

void ecp_hmac_key_init(ecp_hmac_key *k, const void *key, size_t keylen)
{
    unsigned char pad[BLOCK], hashed[32];
    size_t i;

    if (keylen > BLOCK) {
        ecp_sha256(key, keylen, hashed);
        key = hashed;
        keylen = sizeof(hashed);
    }
    memset(pad, 0, sizeof(pad));
    memcpy(pad, key, keylen);
    for (i = 0; i < BLOCK; i++)
        pad[i] ^= 0x36;
    SHA256_Init(&k->inner);
    SHA256_Update(&k->inner, pad, BLOCK);
    for (i = 0; i < BLOCK; i++)
        pad[i] ^= 0x36 ^ 0x5c;
    SHA256_Init(&k->outer);
    SHA256_Update(&k->outer, pad, BLOCK);
    OPENSSL_cleanse(pad, sizeof(pad));
    OPENSSL_cleanse(hashed, sizeof(hashed));
}

void ecp_hmac_sha256(const ecp_hmac_key *k, const void *data, size_t len,
                     unsigned char out[32])
{
    SHA256_CTX c = k->inner;
    unsigned char inner[32];

    SHA256_Update(&c, data, len);
    SHA256_Final(inner, &c);
    c = k->outer;
    SHA256_Update(&c, inner, sizeof(inner));
    SHA256_Final(out, &c);
}

void ecp_hmac_sha256_once(const void *key, size_t keylen, const void *data,
                          size_t len, unsigned char out[32])
{
    ecp_hmac_key k;

    ecp_hmac_key_init(&k, key, keylen);
    ecp_hmac_sha256(&k, data, len, out);
    ecp_hmac_key_wipe(&k);
}

void ecp_hmac_key_wipe(ecp_hmac_key *k)
{
    OPENSSL_cleanse(k, sizeof(*k));
}

void ecp_sha256_with_prefix(ecp_sha256_prefix *p, const void *data, size_t len,
                            unsigned char out[32])
{
    const unsigned char *d = data;
    SHA256_CTX c;

    if (len < BLOCK) {
        ecp_sha256(data, len, out);
        return;
    }
    if (!p->valid || memcmp(d, p->block, BLOCK) != 0) {
        SHA256_Init(&p->state);
        SHA256_Update(&p->state, d, BLOCK);
        memcpy(p->block, d, BLOCK);
        p->valid = 1;
    }
    c = p->state;
    SHA256_Update(&c, d + BLOCK, len - BLOCK);
    SHA256_Final(out, &c);
}
