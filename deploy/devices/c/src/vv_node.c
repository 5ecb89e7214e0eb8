/*
 * vv-node: a Vital Vault device node. It buffers readings on disk, publishes them as SenML CBOR
 * inside COSE_Mac0 with QoS 1, and deletes a reading only when a receipt says it is stored (or
 * rejected for a reason that no resend can fix). One message is in flight at a time: receipts
 * carry ranges and counts, not message ids, so stop-and-wait is what lets a node tell which of
 * its readings a receipt speaks about. See ../PROTOCOL.md.
 *
 * Exit codes: 0 the buffer is empty; 1 usage or I/O error; 2 readings left at the timeout (or on
 * SIGINT/SIGTERM); 3 stopped by a receipt or the broker saying the node is misconfigured.
 */
#define _POSIX_C_SOURCE 200809L
#include <MQTTClient.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buffer.h"
#include "pack.h"
#include "receipt.h"

#define CONTENT_TYPE "application/cose; cose-type=\"cose-mac0\""
#define EXIT_EMPTY 0
#define EXIT_ERROR 1
#define EXIT_TIMEOUT 2
#define EXIT_HALTED 3
/* Back-off after a retry code: 1, 2, 5, 10, 20, then every 30 s. */
static const double BACKOFF_MS[] = {1000, 2000, 5000, 10000, 20000, 30000};
#define PROCESSING_FAILED_SPLIT 3 /* consecutive processing-failed before the pack is halved */
#define PROCESSING_FAILED_GIVE_UP 5 /* ... and before a lone reading is given up */

typedef struct {
    const char *url, *device, *credential, *buffer_path, *emit_cose;
    const char *ca, *cert, *key_file; /* TLS (ssl:// URLs): broker CA, optional client certificate + key (PEM) */
    unsigned char key[VV_MAC_KEY_BYTES];
    int have_key;
    long generate;
    long long start_time; /* epoch s of the first generated reading; -1: now - generate */
    double value;         /* generated value; NaN: a varying plausible heart rate */
    int pack;             /* readings per message */
    double rate;          /* readings per second, on average */
    double timeout_s, receipt_timeout_s;
    int verbose;
} options;

typedef struct {
    options o;
    vv_buffer buf;
    MQTTClient client;
    int connected;
    char topic[80], receipts_topic[80];
    vv_entry pack[VV_MAX_RECORDS];
    size_t pack_n;
    int pack_size;
    /* what the receipts about the current pack said */
    int answered, retry, split, processing_failed;
    char halt[160];
    volatile int puback_reason; /* PUBACK reason code of the last publish, from the published callback */
    long stored_total, dropped_total, resends;
} node;

static unsigned char senml_buf[VV_MAX_SENML_BYTES];
static unsigned char cose_buf[VV_MAX_SENML_BYTES + VV_COSE_OVERHEAD];
static volatile sig_atomic_t stopping;

static void on_signal(int sig) {
    (void)sig;
    stopping = 1;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(const node *n, const char *fmt, ...) {
    va_list ap;
    (void)n;
    va_start(ap, fmt);
    printf("vv-node: ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

static void usage(void) {
    fprintf(stderr,
            "usage: vv-node --device ID --mac-key HEX|--mac-key-b64 B64URL --buffer FILE\n"
            "               [--url tcp://127.0.0.1:1883] [--credential C] [--generate N [--start-time EPOCH_S]]\n"
            "               [--value V] [--pack 100] [--rate 100] [--timeout 600] [--receipt-timeout 15]\n"
            "               [--emit-cose FILE] [--verbose]\n"
            "               [--ca CA.pem [--cert CERT.pem --key KEY.pem]]  (with --url ssl://HOST:8883)\n"
            "Credential and key may come from VV_CREDENTIAL and VV_MAC_KEY (hex or base64url) instead.\n"
            "Exit: 0 buffer empty, 1 error, 2 readings left at the timeout, 3 misconfigured (see stderr).\n");
}

/* ---- keys ---- */

static int hex_key(const char *s, unsigned char *key) {
    if (strlen(s) != 2 * VV_MAC_KEY_BYTES) return -1;
    for (int i = 0; i < VV_MAC_KEY_BYTES; i++) {
        unsigned int v;
        char two[3] = {s[2 * i], s[2 * i + 1], 0};
        char *end;
        v = (unsigned int)strtoul(two, &end, 16);
        if (*end != '\0') return -1;
        key[i] = (unsigned char)v;
    }
    return 0;
}

/* base64url without padding, as pairing returns the macKey. */
static int b64url_key(const char *s, unsigned char *key) {
    static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned long acc = 0;
    int bits = 0, n = 0;
    for (; *s != '\0' && *s != '='; s++) {
        const char *hit = strchr(ALPHABET, *s);
        if (hit == NULL) return -1;
        acc = (acc << 6) | (unsigned long)(hit - ALPHABET);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == VV_MAC_KEY_BYTES) return -1;
            key[n++] = (unsigned char)(acc >> bits);
        }
    }
    return n == VV_MAC_KEY_BYTES ? 0 : -1;
}

static int parse_args(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    o->url = "tcp://127.0.0.1:1883";
    o->start_time = -1;
    o->value = NAN;
    o->pack = 100;
    o->rate = 100;
    o->timeout_s = 600;
    o->receipt_timeout_s = 15;
    o->credential = getenv("VV_CREDENTIAL");
    if (getenv("VV_MAC_KEY") != NULL) { /* hex, or base64url as pairing prints it */
        const char *k = getenv("VV_MAC_KEY");
        if ((strlen(k) == 2 * VV_MAC_KEY_BYTES ? hex_key(k, o->key) : b64url_key(k, o->key)) != 0) {
            fprintf(stderr, "vv-node: VV_MAC_KEY must be a 32-byte key: %d hex digits or base64url\n",
                    2 * VV_MAC_KEY_BYTES);
            return -1;
        }
        o->have_key = 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--verbose") == 0) {
            o->verbose = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || v == NULL) return -1;
        i++;
        if (strcmp(a, "--url") == 0) o->url = v;
        else if (strcmp(a, "--device") == 0) o->device = v;
        else if (strcmp(a, "--ca") == 0) o->ca = v;
        else if (strcmp(a, "--cert") == 0) o->cert = v;
        else if (strcmp(a, "--key") == 0) o->key_file = v;
        else if (strcmp(a, "--credential") == 0) o->credential = v;
        else if (strcmp(a, "--buffer") == 0) o->buffer_path = v;
        else if (strcmp(a, "--emit-cose") == 0) o->emit_cose = v;
        else if (strcmp(a, "--generate") == 0) o->generate = strtol(v, NULL, 10);
        else if (strcmp(a, "--start-time") == 0) o->start_time = strtoll(v, NULL, 10);
        else if (strcmp(a, "--value") == 0) o->value = strtod(v, NULL);
        else if (strcmp(a, "--pack") == 0) o->pack = (int)strtol(v, NULL, 10);
        else if (strcmp(a, "--rate") == 0) o->rate = strtod(v, NULL);
        else if (strcmp(a, "--timeout") == 0) o->timeout_s = strtod(v, NULL);
        else if (strcmp(a, "--receipt-timeout") == 0) o->receipt_timeout_s = strtod(v, NULL);
        else if (strcmp(a, "--mac-key") == 0 || strcmp(a, "--mac-key-b64") == 0) {
            if ((a[9] == '\0' ? hex_key(v, o->key) : b64url_key(v, o->key)) != 0) {
                fprintf(stderr, "vv-node: %s must be a 32-byte key (%s)\n", a,
                        a[9] == '\0' ? "64 hex digits" : "base64url, as pairing returns it");
                return -1;
            }
            o->have_key = 1;
        } else {
            fprintf(stderr, "vv-node: unknown option %s\n", a);
            return -1;
        }
    }
    if (o->device == NULL || strlen(o->device) != 36 || o->buffer_path == NULL || !o->have_key) {
        fprintf(stderr, "vv-node: --device (a UUID), --buffer and a MAC key are required\n");
        return -1;
    }
    if ((o->cert == NULL) != (o->key_file == NULL)) {
        fprintf(stderr, "vv-node: --cert and --key go together (a client certificate needs its key)\n");
        return -1;
    }
    if (o->emit_cose == NULL && o->credential == NULL) {
        fprintf(stderr, "vv-node: --credential (or VV_CREDENTIAL) is required to publish\n");
        return -1;
    }
    if (o->pack < 1 || o->pack > VV_MAX_RECORDS || o->rate <= 0 || o->generate < 0 || o->timeout_s <= 0
        || o->receipt_timeout_s <= 0) {
        fprintf(stderr, "vv-node: --pack must be 1..%d; --rate, --timeout, --receipt-timeout positive\n", VV_MAX_RECORDS);
        return -1;
    }
    return 0;
}

/* ---- readings ---- */

/* N heart-rate readings, one per second of device time, ending no later than now. */
static int generate(node *n) {
    vv_reading chunk[256];
    long long start = n->o.start_time >= 0 ? n->o.start_time : (long long)time(NULL) - n->o.generate;
    for (long i = 0; i < n->o.generate;) {
        size_t k = 0;
        for (; k < 256 && i < n->o.generate; k++, i++) {
            memset(&chunk[k], 0, sizeof chunk[k]);
            chunk[k].time_ms = (int64_t)(start + i) * 1000;
            chunk[k].value = isnan(n->o.value) ? 60 + (i * 7) % 41 : n->o.value;
            strcpy(chunk[k].name, "heart_rate");
            strcpy(chunk[k].unit, "beat/min");
        }
        if (vvb_append(&n->buf, chunk, k) != 0) return -1;
    }
    return 0;
}

/* Takes the oldest pending readings as the next message; its length, 0 if none, -1 on error. */
static long next_message(node *n) {
    vv_reading readings[VV_MAX_RECORDS];
    int count = vvb_peek(&n->buf, n->pack, (size_t)n->pack_size);
    if (count <= 0) {
        n->pack_n = 0;
        return count;
    }
    for (;;) {
        size_t len;
        for (int i = 0; i < count; i++) readings[i] = n->pack[i].reading;
        len = vv_senml_encode(n->o.device, readings, (size_t)count, senml_buf, sizeof senml_buf);
        if (len > 0) {
            n->pack_n = (size_t)count;
            len = vv_cose_mac0(senml_buf, len, n->o.key, cose_buf, sizeof cose_buf);
            return len > 0 ? (long)len : -1;
        }
        if (count == 1) return -1; /* one reading larger than 64 KiB: cannot happen with fixed slots */
        count /= 2;
    }
}

/* ---- receipts ---- */

/* Settles what a receipt says about the current message's readings: deletes what it stored or
 * rejected for good, notes retry/split/halt codes for the main loop. */
static int apply_receipt(node *n, const vv_receipt *r) {
    vv_reading readings[VV_MAX_RECORDS];
    vv_fate fate[VV_MAX_RECORDS];
    const char *why[VV_MAX_RECORDS];
    uint64_t done[VV_MAX_RECORDS];
    size_t done_n = 0;
    long stored = 0, dropped = 0;
    vv_outcome out;
    for (size_t i = 0; i < n->pack_n; i++) readings[i] = n->pack[i].reading;
    vv_receipt_settle(r, readings, n->pack_n, fate, why, &out);
    for (size_t i = 0; i < n->pack_n; i++) {
        if (fate[i] == VV_STORED) {
            stored++;
        } else if (fate[i] == VV_DROPPED) {
            dropped++;
            fprintf(stderr, "vv-node: reading at %lld rejected as %s; dropped from the buffer\n",
                    (long long)readings[i].time_ms, why[i]);
        } else {
            continue;
        }
        done[done_n++] = n->pack[i].slot;
    }
    if (done_n > 0 && vvb_mark_done(&n->buf, done, done_n) != 0) {
        fprintf(stderr, "vv-node: cannot update the buffer: %s\n", strerror(errno));
        return -1;
    }
    n->stored_total += stored;
    n->dropped_total += dropped;
    if (!out.about) return 0; /* a late receipt of an earlier copy: nothing left to settle */
    n->answered = 1;
    n->retry |= out.retry;
    n->split |= out.split;
    n->processing_failed |= out.processing_failed;
    if (out.halt != NULL && n->halt[0] == '\0') {
        snprintf(n->halt, sizeof n->halt, "a receipt rejected the readings as %s", out.halt);
    }
    if (n->o.verbose || stored > 0 || dropped > 0) {
        say(n, "receipt: %ld stored, %ld dropped; %llu pending", stored, dropped, (unsigned long long)n->buf.pending);
    }
    return 0;
}

/* ---- MQTT ---- */

static void on_published(void *context, int token, int packet_type, MQTTProperties *props, enum MQTTReasonCodes rc) {
    (void)token;
    (void)packet_type;
    (void)props;
    ((node *)context)->puback_reason = (int)rc;
}

static void disconnect(node *n) {
    if (n->connected) MQTTClient_disconnect5(n->client, 1000, MQTTREASONCODE_NORMAL_DISCONNECTION, NULL);
    n->connected = 0;
}

/* 0 connected, -1 try again later, -2 refused for good (credentials). */
static int connect_node(node *n) {
    MQTTClient_connectOptions co = MQTTClient_connectOptions_initializer5;
    MQTTResponse resp;
    co.username = n->o.device;
    co.password = n->o.credential;
    co.cleanstart = 1; /* a missed receipt is made up for by resending; nothing to resume */
    co.keepAliveInterval = 30;
    co.connectTimeout = 10;
    /* TLS for ssl:// URLs: the broker's certificate must chain to --ca (else the system's CAs) and
       name the host (verify = 1); --cert/--key present a client certificate where the broker
       requires one (docs/decisions/034). */
    MQTTClient_SSLOptions ssl = MQTTClient_SSLOptions_initializer;
    if (strncmp(n->o.url, "ssl://", 6) == 0 || strncmp(n->o.url, "mqtts://", 8) == 0) {
        ssl.enableServerCertAuth = 1;
        ssl.verify = 1;
        ssl.trustStore = n->o.ca;
        ssl.keyStore = n->o.cert;
        ssl.privateKey = n->o.key_file;
        co.ssl = &ssl;
    }
    resp = MQTTClient_connect5(n->client, &co, NULL, NULL);
    if (resp.reasonCode != MQTTREASONCODE_SUCCESS) {
        int rc = resp.reasonCode;
        MQTTResponse_free(resp);
        if (rc == MQTTREASONCODE_BAD_USER_NAME_OR_PASSWORD || rc == MQTTREASONCODE_NOT_AUTHORIZED) {
            snprintf(n->halt, sizeof n->halt, "the broker refused the credential (reason 0x%02x)", rc);
            return -2;
        }
        if (n->o.verbose) say(n, "connect failed (%d); will retry", rc);
        return -1;
    }
    MQTTResponse_free(resp);
    resp = MQTTClient_subscribe5(n->client, n->receipts_topic, 1, NULL, NULL);
    if (resp.reasonCode != MQTTREASONCODE_GRANTED_QOS_1) {
        int rc = resp.reasonCode;
        MQTTResponse_free(resp);
        MQTTClient_disconnect5(n->client, 1000, MQTTREASONCODE_NORMAL_DISCONNECTION, NULL);
        if (rc == MQTTREASONCODE_NOT_AUTHORIZED) {
            snprintf(n->halt, sizeof n->halt, "the broker refused the subscription to %s", n->receipts_topic);
            return -2;
        }
        return -1;
    }
    MQTTResponse_free(resp);
    n->connected = 1;
    say(n, "connected to %s", n->o.url);
    return 0;
}

/* Receives for up to ms, applying receipts; stops early once the current message is answered. */
static int pump(node *n, double ms, int until_answered) {
    double end = now_s() + ms / 1000.0;
    while (!stopping) {
        double left = (end - now_s()) * 1000.0;
        char *topic = NULL;
        int topic_len = 0;
        MQTTClient_message *m = NULL;
        int rc;
        if (left <= 0 || (until_answered && n->answered)) return 0;
        if (!n->connected) {
            struct timespec ts = {0, 100 * 1000 * 1000};
            if (until_answered) return 0; /* the receipt went with the connection: reconnect and resend */
            nanosleep(&ts, NULL);
            continue;
        }
        rc = MQTTClient_receive(n->client, &topic, &topic_len, &m, (unsigned long)(left < 200 ? left + 1 : 200));
        if (rc != MQTTCLIENT_SUCCESS && rc != MQTTCLIENT_TOPICNAME_TRUNCATED) {
            if (n->o.verbose) say(n, "connection lost (%d)", rc);
            n->connected = 0;
        }
        if (m != NULL) {
            vv_receipt r;
            if (topic != NULL && strcmp(topic, n->receipts_topic) == 0
                && vv_receipt_parse((const char *)m->payload, (size_t)m->payloadlen, &r) == 0) {
                if (apply_receipt(n, &r) != 0) {
                    MQTTClient_freeMessage(&m);
                    MQTTClient_free(topic);
                    return -1;
                }
            }
            MQTTClient_freeMessage(&m);
        }
        if (topic != NULL) MQTTClient_free(topic);
    }
    return 0;
}

/* Publishes the message with QoS 1 and waits for the broker's PUBACK. 0, or -1 to try again. */
static int publish(node *n, size_t len) {
    MQTTClient_message msg = MQTTClient_message_initializer;
    MQTTProperty ct;
    MQTTClient_deliveryToken token = 0;
    MQTTResponse resp;
    int rc;
    ct.identifier = MQTTPROPERTY_CODE_CONTENT_TYPE;
    ct.value.data.data = (char *)CONTENT_TYPE;
    ct.value.data.len = (int)strlen(CONTENT_TYPE);
    if (MQTTProperties_add(&msg.properties, &ct) != 0) return -1;
    msg.payload = cose_buf;
    msg.payloadlen = (int)len;
    msg.qos = 1;
    n->puback_reason = 0;
    resp = MQTTClient_publishMessage5(n->client, n->topic, &msg, &token);
    MQTTProperties_free(&msg.properties);
    rc = resp.reasonCode;
    MQTTResponse_free(resp);
    if (rc != MQTTCLIENT_SUCCESS) { /* not sent: the connection is gone */
        n->connected = 0;
        return -1;
    }
    rc = MQTTClient_waitForCompletion(n->client, token, 10000);
    if (rc != MQTTCLIENT_SUCCESS) {
        if (n->o.verbose) say(n, "no PUBACK (%d)", rc);
        disconnect(n);
        return -1;
    }
    /* e.g. 0x97 quota exceeded: the broker did not take it. (Should a library version not report
     * PUBACK reason codes, no receipt comes and the receipt timeout resends it just the same.) */
    if (n->puback_reason >= 0x80) {
        if (n->o.verbose) say(n, "PUBACK reason 0x%02x: publishing again later", n->puback_reason);
        return -1;
    }
    return 0;
}

static int run(node *n) {
    double deadline = now_s() + n->o.timeout_s;
    double next_send = 0;
    double backoff_ms = 0;
    int processing_failures = 0;
    int retry_step = 0;
    MQTTClient_createOptions create = MQTTClient_createOptions_initializer;
    create.MQTTVersion = MQTTVERSION_5;
    if (MQTTClient_createWithOptions(&n->client, n->o.url, n->o.device, MQTTCLIENT_PERSISTENCE_NONE, NULL, &create)
        != MQTTCLIENT_SUCCESS) {
        fprintf(stderr, "vv-node: cannot create an MQTT client for %s\n", n->o.url);
        return EXIT_ERROR;
    }
    MQTTClient_setPublished(n->client, n, on_published);
    while (n->buf.pending > 0) {
        long len;
        if (stopping || now_s() > deadline) {
            say(n, "%s with %llu readings still buffered", stopping ? "stopped" : "timed out",
                (unsigned long long)n->buf.pending);
            return EXIT_TIMEOUT;
        }
        if (backoff_ms > 0) {
            pump(n, backoff_ms, 0);
            backoff_ms = 0;
            continue;
        }
        if (!n->connected) {
            int rc = connect_node(n);
            if (rc == -2) return EXIT_HALTED;
            if (rc != 0) {
                backoff_ms = 1000;
                continue;
            }
        }
        len = next_message(n);
        if (len < 0) {
            fprintf(stderr, "vv-node: cannot build a message from the buffer\n");
            return EXIT_ERROR;
        }
        if (len == 0) break;
        if (now_s() < next_send) pump(n, (next_send - now_s()) * 1000.0, 0);
        n->answered = n->retry = n->split = n->processing_failed = 0;
        if (publish(n, (size_t)len) != 0) {
            backoff_ms = 1000;
            continue;
        }
        next_send = (next_send > now_s() ? next_send : now_s()) + n->pack_n / n->o.rate;
        if (pump(n, n->o.receipt_timeout_s * 1000.0, 1) != 0) return EXIT_ERROR;
        if (n->halt[0] != '\0') return EXIT_HALTED;
        if (!n->answered) {
            n->resends++;
            say(n, "no receipt within %.0f s; publishing the %zu readings again", n->o.receipt_timeout_s, n->pack_n);
            continue;
        }
        if (n->split && n->pack_size > 1) {
            n->pack_size /= 2;
            say(n, "the gateway found the message too large; packs of %d from now on", n->pack_size);
        }
        if (n->processing_failed) {
            processing_failures++;
            if (processing_failures >= PROCESSING_FAILED_SPLIT && n->pack_size > 1) n->pack_size /= 2;
            if (processing_failures >= PROCESSING_FAILED_GIVE_UP && n->pack_n == 1) {
                /* One reading the gateway fails on every time: give it up rather than block the rest. */
                fprintf(stderr, "vv-node: reading at %lld failed processing %d times; dropped\n",
                        (long long)n->pack[0].reading.time_ms, processing_failures);
                if (vvb_mark_done(&n->buf, &n->pack[0].slot, 1) != 0) return EXIT_ERROR;
                n->dropped_total++;
                processing_failures = 0;
                continue;
            }
        } else {
            processing_failures = 0;
        }
        if (n->retry) {
            backoff_ms = BACKOFF_MS[retry_step < 5 ? retry_step++ : 5];
            if (n->o.verbose) say(n, "publishing again in %.0f s", backoff_ms / 1000);
        } else {
            retry_step = 0;
        }
    }
    say(n, "buffer empty: %ld stored, %ld dropped, %ld resends", n->stored_total, n->dropped_total, n->resends);
    return EXIT_EMPTY;
}

static int emit_cose(node *n) {
    long len = next_message(n);
    FILE *f;
    if (len <= 0) {
        fprintf(stderr, "vv-node: nothing buffered to emit\n");
        return EXIT_ERROR;
    }
    f = fopen(n->o.emit_cose, "wb");
    if (f == NULL || fwrite(cose_buf, 1, (size_t)len, f) != (size_t)len || fclose(f) != 0) {
        fprintf(stderr, "vv-node: cannot write %s: %s\n", n->o.emit_cose, strerror(errno));
        return EXIT_ERROR;
    }
    return EXIT_EMPTY;
}

int main(int argc, char **argv) {
    static node n; /* large (a pack of 1,000 entries): not on the stack */
    struct sigaction sa;
    int rc;
    if (parse_args(argc, argv, &n.o) != 0) {
        usage();
        return EXIT_ERROR;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    n.pack_size = n.o.pack;
    snprintf(n.topic, sizeof n.topic, "readings/%s", n.o.device);
    snprintf(n.receipts_topic, sizeof n.receipts_topic, "receipts/%s", n.o.device);
    if (vvb_open(&n.buf, n.o.buffer_path) != 0) {
        fprintf(stderr, "vv-node: cannot open the buffer %s: %s\n", n.o.buffer_path, strerror(errno));
        return EXIT_ERROR;
    }
    if (n.o.generate > 0 && generate(&n) != 0) {
        fprintf(stderr, "vv-node: cannot append to the buffer: %s\n", strerror(errno));
        vvb_close(&n.buf);
        return EXIT_ERROR;
    }
    say(&n, "%llu readings buffered in %s", (unsigned long long)n.buf.pending, n.o.buffer_path);
    if (n.o.emit_cose != NULL) {
        rc = emit_cose(&n);
    } else {
        rc = run(&n);
        if (rc == EXIT_HALTED) fprintf(stderr, "vv-node: stopped: %s; the readings stay buffered\n", n.halt);
        disconnect(&n);
        if (n.client != NULL) MQTTClient_destroy(&n.client);
    }
    vvb_close(&n.buf);
    return rc;
}
