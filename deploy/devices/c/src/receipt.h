/*
 * Receipts (receipts/{deviceId}, JSON): what a commit did with the device's messages, and what the
 * node may therefore delete from its buffer.
 */
#ifndef VV_RECEIPT_H
#define VV_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "buffer.h"

#define VV_RECEIPT_MAX_LISTED 100 /* the gateway lists at most 100 rejections per receipt */
#define VV_REASON_MAX 40

/** What a node does with readings rejected for a reason. */
typedef enum {
    VV_FINAL,  /* the reading can never be stored: delete it from the buffer */
    VV_RETRY,  /* nothing was stored; keep it and publish again after a back-off */
    VV_SPLIT,  /* the message was too big for the gateway's limits: keep it, send smaller packs */
    VV_HALT    /* the node is misconfigured (credentials, key, encoder): keep everything and stop */
} vv_action;

typedef struct {
    int index; /* position in the pack, -1 for the whole message */
    char reason[VV_REASON_MAX];
    int64_t time_ms; /* the record's device time, 0 when not known */
} vv_rejected;

typedef struct {
    long messages;
    long stored;
    int64_t from_ms, up_to_ms; /* device-time range of what was stored; 0 when nothing */
    long rejected_total;
    size_t listed;
    vv_rejected rejected[VV_RECEIPT_MAX_LISTED];
} vv_receipt;

/** What becomes of one reading of the message in flight. */
typedef enum {
    VV_UNTOUCHED, /* the receipt says nothing about it */
    VV_KEEP,      /* spoken about, but not settled: it stays pending (and is published again) */
    VV_STORED,    /* stored: delete it */
    VV_DROPPED    /* rejected for good: delete it */
} vv_fate;

/** What a receipt said about the message in flight, beyond each reading's fate. */
typedef struct {
    int about;             /* the receipt spoke about this message: it is answered */
    int retry, split;      /* a retry / split code applied to some of its readings */
    int processing_failed; /* ... and the retry code was processing-failed */
    const char *halt;      /* a halt code that applied (points into the receipt), or NULL */
} vv_outcome;

/**
 * Decides the fate of each of the n readings of the one message in flight: a rejection names a
 * reading by its device time (else by its index); a reading whose time lies in the stored range is
 * stored, unless the rejection list was cut short (then it is only kept: the vault reads a resent
 * duplicate once); a whole-message rejection (index -1) applies to the readings nothing else named.
 * why[i] is the rejection code of a dropped or kept reading (NULL otherwise); why may be NULL.
 */
void vv_receipt_settle(const vv_receipt *r, const vv_reading *readings, size_t n, vv_fate *fate,
                       const char **why, vv_outcome *out);

/** Parses a receipt; 0, or -1 if it is not one (the node then ignores it). */
int vv_receipt_parse(const char *json, size_t len, vv_receipt *out);

/** What to do about a rejection code; codes this node does not know are VV_HALT (keep the data). */
vv_action vv_reason_action(const char *code);

#endif
