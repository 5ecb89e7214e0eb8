/*
 * What goes on the wire: readings as a SenML CBOR pack (RFC 8428 §6), inside a tagged COSE_Mac0
 * (RFC 9052 §6.2) with HMAC 256/256 (alg 5) under the device's MAC key.
 */
#ifndef VV_PACK_H
#define VV_PACK_H

#include <stddef.h>
#include "buffer.h"

#define VV_MAC_KEY_BYTES 32        /* the vault issues 32-byte keys; HMAC 256/256 wants at least that */
#define VV_MAX_SENML_BYTES 65536   /* the gateway's SenML limit (payload-too-large beyond it) */
#define VV_MAX_RECORDS 1000        /* the gateway's record limit (too-many-records beyond it) */
#define VV_COSE_OVERHEAD 64        /* tag, array, headers, bstr heads and the 32-byte MAC tag */

/**
 * Writes n readings as a SenML CBOR pack into out: the first record carries bn
 * "urn:dev:uuid:{device}:" and bt (the first reading's time, seconds); every record n, u, v and t
 * (seconds after bt). Returns the pack's length, or 0 if it does not fit in cap.
 */
size_t vv_senml_encode(const char *device_id, const vv_reading *readings, size_t n,
                       unsigned char *out, size_t cap);

/**
 * Wraps payload in a tagged COSE_Mac0: 17([h'A10105', {}, payload, HMAC-SHA256(key, MAC_structure)])
 * where MAC_structure = ["MAC0", h'A10105', h'', payload]. Returns the message length, or 0 if it
 * does not fit in cap or the MAC could not be computed.
 */
size_t vv_cose_mac0(const unsigned char *payload, size_t len, const unsigned char key[VV_MAC_KEY_BYTES],
                    unsigned char *out, size_t cap);

#endif
