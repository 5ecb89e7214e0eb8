/*
 * File layout (all integers little-endian):
 *   header, 16 bytes: "VVBUF1\0\0", u32 slot size (64), u32 reserved (0)
 *   slots, 64 bytes each:
 *     0      state: 'P' pending, 'D' done
 *     1..3   zero
 *     4..7   CRC-32 (IEEE) of bytes 8..63
 *     8..15  device time, i64 epoch ms
 *     16..23 value, IEEE 754 double
 *     24..47 metric name, NUL-padded
 *     48..63 unit, NUL-padded
 * A slot is written once when appended; later only its state byte changes, a one-byte write that
 * cannot tear. Receipts settle readings out of order (a rejected reading may be kept for a retry
 * while later ones are stored), which is why each slot has its own state rather than the file one
 * "confirmed up to" marker.
 */
#define _POSIX_C_SOURCE 200809L
#include "buffer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_BYTES 16
#define SLOT_BYTES 64
#define STATE_PENDING 'P'
#define STATE_DONE 'D'
/* Compact when at least this many done slots precede the first pending one. */
#define COMPACT_PREFIX 4096

static const unsigned char MAGIC[8] = {'V', 'V', 'B', 'U', 'F', '1', 0, 0};

static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

static void put_u32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static void put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void encode_slot(const vv_reading *r, unsigned char *s) {
    uint64_t bits;
    memset(s, 0, SLOT_BYTES);
    s[0] = STATE_PENDING;
    put_u64(s + 8, (uint64_t)r->time_ms);
    memcpy(&bits, &r->value, sizeof bits);
    put_u64(s + 16, bits);
    strncpy((char *)s + 24, r->name, VV_NAME_MAX - 1);
    strncpy((char *)s + 48, r->unit, VV_UNIT_MAX - 1);
    put_u32(s + 4, crc32(s + 8, SLOT_BYTES - 8));
}

/* 1 pending (reading filled in), 0 done, -1 corrupt. */
static int decode_slot(const unsigned char *s, vv_reading *r) {
    uint64_t bits;
    if (s[0] == STATE_DONE) return 0;
    if (s[0] != STATE_PENDING || get_u32(s + 4) != crc32(s + 8, SLOT_BYTES - 8)) return -1;
    r->time_ms = (int64_t)get_u64(s + 8);
    bits = get_u64(s + 16);
    memcpy(&r->value, &bits, sizeof r->value);
    memcpy(r->name, s + 24, VV_NAME_MAX);
    r->name[VV_NAME_MAX - 1] = '\0';
    memcpy(r->unit, s + 48, VV_UNIT_MAX);
    r->unit[VV_UNIT_MAX - 1] = '\0';
    return 1;
}

static int write_all(int fd, const unsigned char *p, size_t n, off_t at) {
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return 0;
}

static ssize_t read_full(int fd, unsigned char *p, size_t n, off_t at) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, p + got, n - got, at + (off_t)got);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int fsync_path(const char *path) {
    int fd = open(path, O_RDONLY);
    int rc;
    if (fd < 0) return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

static off_t slot_offset(uint64_t slot) {
    return (off_t)(HEADER_BYTES + slot * SLOT_BYTES);
}

static int write_header(int fd) {
    unsigned char h[HEADER_BYTES] = {0};
    memcpy(h, MAGIC, sizeof MAGIC);
    put_u32(h + 8, SLOT_BYTES);
    return write_all(fd, h, sizeof h, 0);
}

/* Counts pending slots and finds the first; slots that fail their CRC are marked done (and reported). */
static int scan(vv_buffer *b) {
    unsigned char s[SLOT_BYTES];
    vv_reading r;
    b->pending = 0;
    b->first_pending = b->slots;
    for (uint64_t i = 0; i < b->slots; i++) {
        if (read_full(b->fd, s, SLOT_BYTES, slot_offset(i)) != SLOT_BYTES) return -1;
        int state = decode_slot(s, &r);
        if (state < 0) {
            fprintf(stderr, "vv-node: buffer slot %llu is corrupt; skipped\n", (unsigned long long)i);
            unsigned char done = STATE_DONE;
            if (write_all(b->fd, &done, 1, slot_offset(i)) != 0) return -1;
            continue;
        }
        if (state == 1) {
            if (b->pending == 0) b->first_pending = i;
            b->pending++;
        }
    }
    return fsync(b->fd);
}

int vvb_open(vv_buffer *b, const char *path) {
    struct stat st;
    unsigned char h[HEADER_BYTES];
    memset(b, 0, sizeof *b);
    b->fd = open(path, O_RDWR | O_CREAT, 0600);
    if (b->fd < 0) return -1;
    b->path = malloc(strlen(path) + 1);
    if (b->path == NULL) goto fail;
    strcpy(b->path, path);
    if (fstat(b->fd, &st) != 0) goto fail;
    if (st.st_size < HEADER_BYTES) { /* new, or a crash while the header was written */
        if (ftruncate(b->fd, 0) != 0 || write_header(b->fd) != 0 || fsync(b->fd) != 0) goto fail;
        st.st_size = HEADER_BYTES;
    }
    if (read_full(b->fd, h, HEADER_BYTES, 0) != HEADER_BYTES || memcmp(h, MAGIC, sizeof MAGIC) != 0
        || get_u32(h + 8) != SLOT_BYTES) {
        fprintf(stderr, "vv-node: %s is not a vv-node buffer\n", path);
        errno = EINVAL;
        goto fail;
    }
    b->slots = (uint64_t)(st.st_size - HEADER_BYTES) / SLOT_BYTES;
    if (slot_offset(b->slots) != st.st_size) { /* an append torn by a crash: it was never reported done */
        if (ftruncate(b->fd, slot_offset(b->slots)) != 0 || fsync(b->fd) != 0) goto fail;
    }
    if (scan(b) != 0) goto fail;
    return 0;
fail:
    vvb_close(b);
    return -1;
}

int vvb_append(vv_buffer *b, const vv_reading *readings, size_t n) {
    unsigned char chunk[SLOT_BYTES * 64];
    size_t done = 0;
    while (done < n) {
        size_t k = n - done < 64 ? n - done : 64;
        for (size_t i = 0; i < k; i++) encode_slot(&readings[done + i], chunk + i * SLOT_BYTES);
        if (write_all(b->fd, chunk, k * SLOT_BYTES, slot_offset(b->slots + done)) != 0) return -1;
        done += k;
    }
    if (fsync(b->fd) != 0) return -1;
    if (b->pending == 0) b->first_pending = b->slots;
    b->slots += n;
    b->pending += n;
    return 0;
}

int vvb_peek(vv_buffer *b, vv_entry *out, size_t max) {
    unsigned char s[SLOT_BYTES];
    size_t n = 0;
    for (uint64_t i = b->first_pending; i < b->slots && n < max; i++) {
        if (read_full(b->fd, s, SLOT_BYTES, slot_offset(i)) != SLOT_BYTES) return -1;
        if (decode_slot(s, &out[n].reading) == 1) {
            out[n].slot = i;
            n++;
        }
    }
    return (int)n;
}

/* Makes a rename in path's directory durable. */
static int fsync_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir;
    int rc;
    if (slash == NULL) return fsync_path(".");
    dir = malloc((size_t)(slash - path) + 2);
    if (dir == NULL) return -1;
    memcpy(dir, path, (size_t)(slash - path) + 1);
    dir[slash == path ? 1 : slash - path] = '\0';
    rc = fsync_path(dir);
    free(dir);
    return rc;
}

/* Rewrites the file without its done prefix: a new file, fsync'd, renamed over the old one. */
static int compact(vv_buffer *b) {
    unsigned char s[SLOT_BYTES];
    size_t tmp_len = strlen(b->path) + 5;
    char *tmp = malloc(tmp_len);
    int fd = -1;
    uint64_t kept = 0;
    if (tmp == NULL) return -1;
    snprintf(tmp, tmp_len, "%s.tmp", b->path);
    fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write_header(fd) != 0) goto fail;
    for (uint64_t i = b->first_pending; i < b->slots; i++) {
        if (read_full(b->fd, s, SLOT_BYTES, slot_offset(i)) != SLOT_BYTES) goto fail;
        if (write_all(fd, s, SLOT_BYTES, slot_offset(kept++)) != 0) goto fail;
    }
    if (fsync(fd) != 0 || rename(tmp, b->path) != 0 || fsync_dir(b->path) != 0) goto fail;
    close(b->fd);
    b->fd = fd;
    b->slots = kept;
    b->first_pending = 0;
    free(tmp);
    return 0;
fail:
    if (fd >= 0) close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

int vvb_mark_done(vv_buffer *b, const uint64_t *slots, size_t n) {
    unsigned char s[SLOT_BYTES];
    vv_reading r;
    const unsigned char done = STATE_DONE;
    for (size_t i = 0; i < n; i++) {
        if (slots[i] >= b->slots) continue;
        if (read_full(b->fd, s, SLOT_BYTES, slot_offset(slots[i])) != SLOT_BYTES) return -1;
        if (decode_slot(s, &r) != 1) continue; /* already done: a receipt for a resent copy */
        if (write_all(b->fd, &done, 1, slot_offset(slots[i])) != 0) return -1;
        b->pending--;
    }
    if (fsync(b->fd) != 0) return -1;
    if (b->pending == 0) {
        /* Everything settled: back to an empty file. A crash mid-way leaves only done slots. */
        b->slots = 0;
        b->first_pending = 0;
        return ftruncate(b->fd, HEADER_BYTES) == 0 && fsync(b->fd) == 0 ? 0 : -1;
    }
    while (b->first_pending < b->slots) {
        if (read_full(b->fd, s, SLOT_BYTES, slot_offset(b->first_pending)) != SLOT_BYTES) return -1;
        if (decode_slot(s, &r) == 1) break;
        b->first_pending++;
    }
    if (b->first_pending >= COMPACT_PREFIX && compact(b) != 0) {
        fprintf(stderr, "vv-node: compacting the buffer failed (%s); continuing uncompacted\n", strerror(errno));
    }
    return 0;
}

void vvb_close(vv_buffer *b) {
    if (b->fd >= 0) close(b->fd);
    b->fd = -1;
    free(b->path);
    b->path = NULL;
}
