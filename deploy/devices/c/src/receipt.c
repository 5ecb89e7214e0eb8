/* A small JSON reader for exactly what a receipt holds; anything else is skipped, depth-limited. */
#include "receipt.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

typedef struct {
    const char *p, *end;
} cursor;

static void ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int eat(cursor *c, char ch) {
    ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* A string into out (truncated to cap-1; escapes other than \" and \\ kept verbatim). 0 or -1. */
static int string(cursor *c, char *out, size_t cap) {
    size_t n = 0;
    if (!eat(c, '"')) return -1;
    while (c->p < c->end && *c->p != '"') {
        char ch = *c->p++;
        if (ch == '\\') {
            if (c->p >= c->end) return -1;
            ch = *c->p++;
            if (ch == 'u') { /* \uXXXX: never in a receipt's keys or codes; skip its digits */
                if (c->end - c->p < 4) return -1;
                c->p += 4;
                ch = '?';
            }
        }
        if (out != NULL && n + 1 < cap) out[n++] = ch;
    }
    if (c->p >= c->end) return -1;
    c->p++;
    if (out != NULL) out[n] = '\0';
    return 0;
}

static int number(cursor *c, int64_t *out) {
    char digits[32];
    size_t n = 0;
    char *stop;
    ws(c);
    while (c->p < c->end && n + 1 < sizeof digits
           && (isdigit((unsigned char)*c->p) || *c->p == '-' || *c->p == '+' || *c->p == '.' || *c->p == 'e' || *c->p == 'E')) {
        digits[n++] = *c->p++;
    }
    digits[n] = '\0';
    if (n == 0) return -1;
    errno = 0;
    *out = strtoll(digits, &stop, 10);
    return errno == 0 ? 0 : -1; /* a fraction is cut at the '.': receipts hold integers only */
}

static int skip(cursor *c, int depth) {
    ws(c);
    if (c->p >= c->end || depth > MAX_DEPTH) return -1;
    if (*c->p == '"') return string(c, NULL, 0);
    if (*c->p == '{' || *c->p == '[') {
        char close = *c->p == '{' ? '}' : ']';
        int object = *c->p == '{';
        c->p++;
        if (eat(c, close)) return 0;
        do {
            if (object && (string(c, NULL, 0) != 0 || !eat(c, ':'))) return -1;
            if (skip(c, depth + 1) != 0) return -1;
        } while (eat(c, ','));
        return eat(c, close) ? 0 : -1;
    }
    while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '-' || *c->p == '+' || *c->p == '.')) c->p++;
    return 0;
}

static int stored(cursor *c, vv_receipt *r) {
    char key[32];
    if (!eat(c, '{')) return -1;
    if (eat(c, '}')) return 0;
    do {
        int64_t v;
        if (string(c, key, sizeof key) != 0 || !eat(c, ':')) return -1;
        if (strcmp(key, "count") == 0 && number(c, &v) == 0) r->stored = (long)v;
        else if (strcmp(key, "fromTime") == 0 && number(c, &v) == 0) r->from_ms = v;
        else if (strcmp(key, "upToTime") == 0 && number(c, &v) == 0) r->up_to_ms = v;
        else if (skip(c, 2) != 0) return -1;
    } while (eat(c, ','));
    return eat(c, '}') ? 0 : -1;
}

static int rejected_one(cursor *c, vv_rejected *x) {
    char key[32];
    memset(x, 0, sizeof *x);
    x->index = -1;
    if (!eat(c, '{')) return -1;
    if (eat(c, '}')) return 0;
    do {
        int64_t v;
        if (string(c, key, sizeof key) != 0 || !eat(c, ':')) return -1;
        if (strcmp(key, "index") == 0 && number(c, &v) == 0) x->index = (int)v;
        else if (strcmp(key, "reason") == 0 && string(c, x->reason, sizeof x->reason) == 0) { /* read */ }
        else if (strcmp(key, "time") == 0 && number(c, &v) == 0) x->time_ms = v;
        else if (skip(c, 3) != 0) return -1;
    } while (eat(c, ','));
    return eat(c, '}') ? 0 : -1;
}

static int rejected(cursor *c, vv_receipt *r) {
    vv_rejected spare;
    if (!eat(c, '[')) return -1;
    if (eat(c, ']')) return 0;
    do {
        vv_rejected *x = r->listed < VV_RECEIPT_MAX_LISTED ? &r->rejected[r->listed] : &spare;
        if (rejected_one(c, x) != 0) return -1;
        if (x != &spare) r->listed++;
    } while (eat(c, ','));
    return eat(c, ']') ? 0 : -1;
}

int vv_receipt_parse(const char *json, size_t len, vv_receipt *r) {
    cursor c = {json, json + len};
    char key[32];
    int seen_stored = 0;
    memset(r, 0, sizeof *r);
    if (!eat(&c, '{')) return -1;
    if (!eat(&c, '}')) {
        do {
            int64_t v;
            if (string(&c, key, sizeof key) != 0 || !eat(&c, ':')) return -1;
            if (strcmp(key, "stored") == 0) {
                if (stored(&c, r) != 0) return -1;
                seen_stored = 1;
            } else if (strcmp(key, "rejected") == 0) {
                if (rejected(&c, r) != 0) return -1;
            } else if (strcmp(key, "messages") == 0 && number(&c, &v) == 0) {
                r->messages = (long)v;
            } else if (strcmp(key, "rejectedTotal") == 0 && number(&c, &v) == 0) {
                r->rejected_total = (long)v;
            } else if (skip(&c, 1) != 0) {
                return -1;
            }
        } while (eat(&c, ','));
        if (!eat(&c, '}')) return -1;
    }
    ws(&c);
    return seen_stored && c.p == c.end ? 0 : -1;
}

/*
 * The rejection codes of docs/protocol/rejection-reasons.md and what this node does about each.
 * FINAL only where the reading itself can never be stored, whoever sends it again; a code that
 * means "this node is misconfigured" keeps the readings (HALT) so that fixing the node loses nothing.
 */
static const struct {
    const char *code;
    vv_action action;
} REASONS[] = {
    /* the reading itself */
    {"malformed", VV_FINAL},
    {"unsupported-field", VV_FINAL},
    {"unsupported-version", VV_FINAL},
    {"no-numeric-value", VV_FINAL},
    {"unknown-metric", VV_FINAL},
    {"unit-mismatch", VV_FINAL},
    {"out-of-range", VV_FINAL},
    {"too-old", VV_FINAL},
    {"store-refused", VV_FINAL},
    {"empty-pack", VV_FINAL},
    /* try again later: nothing of the message was stored */
    {"rate-limited", VV_RETRY},
    {"processing-failed", VV_RETRY},
    {"time-in-future", VV_RETRY},
    /* too big for this gateway's limits */
    {"payload-too-large", VV_SPLIT},
    {"too-many-records", VV_SPLIT},
    /* the node's configuration or encoder */
    {"unknown-device", VV_HALT},
    {"mac-required", VV_HALT},
    {"mac-key-unknown", VV_HALT},
    {"mac-invalid", VV_HALT},
    {"mac-malformed", VV_HALT},
    {"mac-algorithm-unsupported", VV_HALT},
    {"unsupported-content-type", VV_HALT},
    {"qos-not-supported", VV_HALT},
    {"malformed-topic", VV_HALT},
};

vv_action vv_reason_action(const char *code) {
    for (size_t i = 0; i < sizeof REASONS / sizeof REASONS[0]; i++) {
        if (strcmp(REASONS[i].code, code) == 0) return REASONS[i].action;
    }
    return VV_HALT;
}

static void note(vv_outcome *out, vv_action a, const char *code) {
    if (a == VV_RETRY) {
        out->retry = 1;
        if (strcmp(code, "processing-failed") == 0) out->processing_failed = 1;
    } else if (a == VV_SPLIT) {
        out->split = 1;
    } else if (a == VV_HALT && out->halt == NULL) {
        out->halt = code;
    }
}

void vv_receipt_settle(const vv_receipt *r, const vv_reading *readings, size_t n, vv_fate *fate,
                       const char **why, vv_outcome *out) {
    int complete_list = (long)r->listed >= r->rejected_total;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const vv_rejected *match = NULL;
        fate[i] = VV_UNTOUCHED;
        if (why != NULL) why[i] = NULL;
        for (size_t j = 0; j < r->listed && match == NULL; j++) {
            const vv_rejected *x = &r->rejected[j];
            if (x->index >= 0 && (x->time_ms != 0 ? x->time_ms == readings[i].time_ms : (size_t)x->index == i)) {
                match = x;
            }
        }
        if (match != NULL) {
            vv_action a = vv_reason_action(match->reason);
            fate[i] = a == VV_FINAL ? VV_DROPPED : VV_KEEP;
            if (why != NULL) why[i] = match->reason;
            if (a != VV_FINAL) note(out, a, match->reason);
            out->about = 1;
        } else if (r->stored > 0 && readings[i].time_ms >= r->from_ms && readings[i].time_ms <= r->up_to_ms) {
            fate[i] = complete_list ? VV_STORED : VV_KEEP;
            out->about = 1;
        }
    }
    for (size_t j = 0; j < r->listed; j++) {
        const vv_rejected *x = &r->rejected[j];
        vv_action a;
        if (x->index >= 0) continue;
        /* Receipts name no message, and only this one is in flight. */
        a = vv_reason_action(x->reason);
        out->about = 1;
        note(out, a, x->reason);
        for (size_t i = 0; i < n; i++) {
            if (fate[i] != VV_UNTOUCHED) continue;
            fate[i] = a == VV_FINAL ? VV_DROPPED : VV_KEEP;
            if (why != NULL) why[i] = x->reason;
        }
    }
}
