/*
 * The node's persistent buffer of readings: an append-only file of fixed 64-byte slots, each
 * pending until a receipt settles it (stored, or rejected for good), then marked done in place.
 * Every change is fsync'd before the function returns, so what it reports survives a power cut.
 */
#ifndef VV_BUFFER_H
#define VV_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#define VV_NAME_MAX 24 /* bytes of a SenML metric name, NUL included ("heart_rate") */
#define VV_UNIT_MAX 16 /* bytes of a SenML unit, NUL included ("beat/min") */

/** One reading as the node measured it. */
typedef struct {
    int64_t time_ms; /* device time, epoch milliseconds */
    double value;
    char name[VV_NAME_MAX];
    char unit[VV_UNIT_MAX];
} vv_reading;

/** A pending reading and where it lives in the file. */
typedef struct {
    uint64_t slot;
    vv_reading reading;
} vv_entry;

typedef struct {
    int fd;
    char *path;
    uint64_t slots;         /* slots in the file */
    uint64_t first_pending; /* every slot before it is done */
    uint64_t pending;       /* pending slots in the file */
} vv_buffer;

/** Opens (creating if needed) the buffer at path; a torn tail left by a crash is cut off. 0 or -1. */
int vvb_open(vv_buffer *b, const char *path);

/** Appends n readings and fsyncs. 0 or -1 (then none of them may count as buffered). */
int vvb_append(vv_buffer *b, const vv_reading *readings, size_t n);

/** Up to max pending readings, oldest first. Returns how many, or -1 on a read error. */
int vvb_peek(vv_buffer *b, vv_entry *out, size_t max);

/**
 * Marks the given slots done and fsyncs; when nothing is pending any more the file is cut back to
 * its header, and a long done prefix is compacted away. 0 or -1.
 */
int vvb_mark_done(vv_buffer *b, const uint64_t *slots, size_t n);

/** Closes the file and frees what vvb_open allocated. */
void vvb_close(vv_buffer *b);

#endif
