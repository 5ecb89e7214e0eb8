/*
 * Receipts (receipts/{deviceId}, JSON): what a commit did with the device's messages, and what the
 * node may therefore delete from its buffer.
 */
#ifndef VV_RECEIPT_H
#define VV_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

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

/** Parses a receipt; 0, or -1 if it is not one (the node then ignores it). */
int vv_receipt_parse(const char *json, size_t len, vv_receipt *out);

/** What to do about a rejection code; codes this node does not know are VV_HALT (keep the data). */
vv_action vv_reason_action(const char *code);

#endif
