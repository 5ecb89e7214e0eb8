#include "pack.h"

#include <cbor.h>
#include <math.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SenML CBOR labels (RFC 8428 §6, Table 4). */
#define LABEL_BN (-2)
#define LABEL_BT (-3)
#define LABEL_N 0
#define LABEL_U 1
#define LABEL_V 2
#define LABEL_T 6

/* The protected header {1: 5}: alg = HMAC 256/256. */
static const unsigned char PROTECTED[] = {0xA1, 0x01, 0x05};

/* A CBOR writer over a caller's buffer; once something does not fit, every later write is a no-op. */
typedef struct {
    unsigned char *buf;
    size_t cap;
    size_t len;
    int full;
} writer;

static void put(writer *w, size_t written) {
    if (written == 0) w->full = 1;
    w->len += written;
}

static void w_raw(writer *w, const void *p, size_t n) {
    if (w->full || w->cap - w->len < n) {
        w->full = 1;
        return;
    }
    if (n > 0) memcpy(w->buf + w->len, p, n);
    w->len += n;
}

#define ROOM(w) ((w)->full ? 0 : (w)->cap - (w)->len)
#define AT(w) ((w)->buf + (w)->len)

static void w_int(writer *w, int64_t v) {
    if (w->full) return;
    put(w, v >= 0 ? cbor_encode_uint((uint64_t)v, AT(w), ROOM(w)) : cbor_encode_negint((uint64_t)(-1 - v), AT(w), ROOM(w)));
}

static void w_text(writer *w, const char *s) {
    size_t n = strlen(s);
    if (w->full) return;
    put(w, cbor_encode_string_start(n, AT(w), ROOM(w)));
    w_raw(w, s, n);
}

static void w_bytes(writer *w, const unsigned char *p, size_t n) {
    if (w->full) return;
    put(w, cbor_encode_bytestring_start(n, AT(w), ROOM(w)));
    w_raw(w, p, n);
}

/* The shortest form RFC 8428 §6 allows that reads back as the same double. */
static void w_number(writer *w, double v) {
    if (w->full) return;
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        w_int(w, (int64_t)v);
    } else if ((double)(float)v == v) {
        put(w, cbor_encode_single((float)v, AT(w), ROOM(w)));
    } else {
        put(w, cbor_encode_double(v, AT(w), ROOM(w)));
    }
}

static void w_array(writer *w, size_t n) {
    if (!w->full) put(w, cbor_encode_array_start(n, AT(w), ROOM(w)));
}

static void w_map(writer *w, size_t n) {
    if (!w->full) put(w, cbor_encode_map_start(n, AT(w), ROOM(w)));
}

size_t vv_senml_encode(const char *device_id, const vv_reading *readings, size_t n,
                       unsigned char *out, size_t cap) {
    writer w = {out, cap, 0, 0};
    char base_name[64];
    int64_t bt = n > 0 ? readings[0].time_ms : 0;
    if (n == 0 || n > VV_MAX_RECORDS) return 0;
    if (snprintf(base_name, sizeof base_name, "urn:dev:uuid:%s:", device_id) >= (int)sizeof base_name) return 0;
    w_array(&w, n);
    for (size_t i = 0; i < n; i++) {
        const vv_reading *r = &readings[i];
        w_map(&w, i == 0 ? 6 : 4);
        if (i == 0) {
            w_int(&w, LABEL_BN);
            w_text(&w, base_name);
            w_int(&w, LABEL_BT);
            w_number(&w, bt / 1000.0);
        }
        w_int(&w, LABEL_N);
        w_text(&w, r->name);
        w_int(&w, LABEL_U);
        w_text(&w, r->unit);
        w_int(&w, LABEL_V);
        w_number(&w, r->value);
        w_int(&w, LABEL_T);
        w_number(&w, (r->time_ms - bt) / 1000.0);
    }
    return w.full ? 0 : w.len;
}

/* HMAC-SHA256 over a || b, streamed (OpenSSL 3 EVP_MAC). 1 on success. */
static int mac(const unsigned char *key, const unsigned char *a, size_t a_len, const unsigned char *b, size_t b_len,
               unsigned char *tag, unsigned int *tag_len) {
    EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = hmac == NULL ? NULL : EVP_MAC_CTX_new(hmac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    size_t out_len = 0;
    int ok = ctx != NULL && EVP_MAC_init(ctx, key, VV_MAC_KEY_BYTES, params) && EVP_MAC_update(ctx, a, a_len)
             && (b_len == 0 || EVP_MAC_update(ctx, b, b_len)) && EVP_MAC_final(ctx, tag, &out_len, EVP_MAX_MD_SIZE);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(hmac);
    *tag_len = (unsigned int)out_len;
    return ok;
}

size_t vv_cose_mac0(const unsigned char *payload, size_t len, const unsigned char key[VV_MAC_KEY_BYTES],
                    unsigned char *out, size_t cap) {
    unsigned char head[32];
    writer h = {head, sizeof head, 0, 0};
    unsigned char tag[EVP_MAX_MD_SIZE];
    unsigned int tag_len = 0;
    /* MAC_structure = ["MAC0", protected, external_aad h'', payload], streamed into the HMAC: its
     * head, then the payload bytes, so the payload is never copied. */
    w_array(&h, 4);
    w_text(&h, "MAC0");
    w_bytes(&h, PROTECTED, sizeof PROTECTED);
    w_bytes(&h, NULL, 0);
    if (!h.full) put(&h, cbor_encode_bytestring_start(len, AT(&h), ROOM(&h)));
    if (h.full || !mac(key, head, h.len, payload, len, tag, &tag_len) || tag_len != 32) return 0;

    writer w = {out, cap, 0, 0};
    if (!w.full) put(&w, cbor_encode_tag(17, AT(&w), ROOM(&w)));
    w_array(&w, 4);
    w_bytes(&w, PROTECTED, sizeof PROTECTED);
    w_map(&w, 0);
    w_bytes(&w, payload, len);
    w_bytes(&w, tag, tag_len);
    return w.full ? 0 : w.len;
}
