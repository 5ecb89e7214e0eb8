/* Unit checks of the buffer, the receipt reader and the COSE layout: `make check`. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "pack.h"
#include "receipt.h"

static int failures;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static vv_reading reading(int64_t t, double v) {
    vv_reading r;
    memset(&r, 0, sizeof r);
    r.time_ms = t;
    r.value = v;
    strcpy(r.name, "heart_rate");
    strcpy(r.unit, "beat/min");
    return r;
}

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void buffer_keeps_pending_readings_across_a_reopen_and_cuts_a_torn_tail(const char *dir) {
    char path[512];
    vv_buffer b;
    vv_reading rs[10];
    vv_entry e[16];
    uint64_t done[] = {0, 5, 9};
    int fd;
    snprintf(path, sizeof path, "%s/check.buf", dir);
    unlink(path);
    for (int i = 0; i < 10; i++) rs[i] = reading(1780000000000LL + i * 1000, 60 + i);
    CHECK(vvb_open(&b, path) == 0);
    CHECK(vvb_append(&b, rs, 10) == 0);
    CHECK(b.pending == 10);
    CHECK(vvb_mark_done(&b, done, 3) == 0);
    CHECK(b.pending == 7);
    vvb_close(&b);

    fd = open(path, O_WRONLY | O_APPEND); /* a crash in the middle of an append */
    CHECK(fd >= 0 && write(fd, "torn", 4) == 4);
    close(fd);

    CHECK(vvb_open(&b, path) == 0);
    CHECK(b.pending == 7);
    CHECK(file_size(path) == 16 + 10 * 64);
    CHECK(vvb_peek(&b, e, 16) == 7);
    CHECK(e[0].slot == 1 && e[0].reading.time_ms == 1780000001000LL && e[0].reading.value == 61);
    CHECK(e[4].slot == 6 && strcmp(e[4].reading.name, "heart_rate") == 0 && strcmp(e[4].reading.unit, "beat/min") == 0);
    {
        uint64_t rest[7];
        for (int i = 0; i < 7; i++) rest[i] = e[i].slot;
        CHECK(vvb_mark_done(&b, rest, 7) == 0);
    }
    CHECK(b.pending == 0);
    CHECK(file_size(path) == 16);
    vvb_close(&b);
    CHECK(vvb_open(&b, path) == 0 && b.pending == 0);
    vvb_close(&b);
    unlink(path);
}

static void buffer_compacts_a_long_done_prefix(const char *dir) {
    char path[512];
    vv_buffer b;
    static vv_reading rs[5000];
    static uint64_t slots[4999];
    vv_entry e[2];
    snprintf(path, sizeof path, "%s/compact.buf", dir);
    unlink(path);
    for (int i = 0; i < 5000; i++) rs[i] = reading(1780000000000LL + i * 1000, 70);
    for (int i = 0; i < 4999; i++) slots[i] = (uint64_t)i;
    CHECK(vvb_open(&b, path) == 0);
    CHECK(vvb_append(&b, rs, 5000) == 0);
    CHECK(vvb_mark_done(&b, slots, 4999) == 0);
    CHECK(b.pending == 1 && file_size(path) == 16 + 64);
    CHECK(vvb_peek(&b, e, 2) == 1 && e[0].reading.time_ms == 1780000000000LL + 4999 * 1000LL);
    vvb_close(&b);
    unlink(path);
}

static void receipt_reader_reads_the_gateway_example(void) {
    const char *json = "{\"batch\":\"8a1c0e7e-3a52-4b51-9f1e-2f3f0f6d3a11\",\"committedAt\":1780000000123,\"commits\":2,"
                       "\"messages\":3,\"stored\":{\"count\":29,\"fromTime\":1780000000000,\"upToTime\":1780000009000},"
                       "\"rejected\":[{\"index\":4,\"reason\":\"out-of-range\",\"time\":1780000004000},"
                       "{\"index\":-1,\"reason\":\"rate-limited\"}],\"rejectedTotal\":2}";
    vv_receipt r;
    CHECK(vv_receipt_parse(json, strlen(json), &r) == 0);
    CHECK(r.messages == 3 && r.stored == 29);
    CHECK(r.from_ms == 1780000000000LL && r.up_to_ms == 1780000009000LL);
    CHECK(r.listed == 2 && r.rejected_total == 2);
    CHECK(r.rejected[0].index == 4 && strcmp(r.rejected[0].reason, "out-of-range") == 0);
    CHECK(r.rejected[0].time_ms == 1780000004000LL);
    CHECK(r.rejected[1].index == -1 && r.rejected[1].time_ms == 0 && strcmp(r.rejected[1].reason, "rate-limited") == 0);
    CHECK(vv_receipt_parse("{\"stored\":{\"count\":1}", 21, &r) != 0);
    CHECK(vv_receipt_parse("[1,2]", 5, &r) != 0);
    {
        const char *deep = "{\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]],\"stored\":{}}";
        const char *shallow = "{\"x\":[[1]],\"stored\":{}}";
        CHECK(vv_receipt_parse(deep, strlen(deep), &r) != 0);
        CHECK(vv_receipt_parse(shallow, strlen(shallow), &r) == 0 && r.stored == 0);
    }
}

static void reasons_are_final_only_where_no_resend_can_help(void) {
    CHECK(vv_reason_action("out-of-range") == VV_FINAL);
    CHECK(vv_reason_action("too-old") == VV_FINAL);
    CHECK(vv_reason_action("rate-limited") == VV_RETRY);
    CHECK(vv_reason_action("processing-failed") == VV_RETRY);
    CHECK(vv_reason_action("time-in-future") == VV_RETRY);
    CHECK(vv_reason_action("payload-too-large") == VV_SPLIT);
    CHECK(vv_reason_action("mac-invalid") == VV_HALT);
    CHECK(vv_reason_action("a-code-from-the-future") == VV_HALT);
}

static void cose_message_has_the_layout_the_gateway_verifies(void) {
    unsigned char key[VV_MAC_KEY_BYTES];
    unsigned char senml[512], cose[600];
    vv_reading rs[2] = {reading(1780000000000LL, 72), reading(1780000001000LL, 74)};
    size_t n, m;
    static const unsigned char head[] = {0xD1, 0x84, 0x43, 0xA1, 0x01, 0x05, 0xA0};
    for (int i = 0; i < VV_MAC_KEY_BYTES; i++) key[i] = (unsigned char)i;
    n = vv_senml_encode("3f2b9a0e-8c1d-4e6f-9a7b-0c1d2e3f4a5b", rs, 2, senml, sizeof senml);
    CHECK(n > 0 && senml[0] == 0x82 && senml[1] == 0xA6);
    m = vv_cose_mac0(senml, n, key, cose, sizeof cose);
    CHECK(m == sizeof head + 2 + n + 2 + 32);
    CHECK(memcmp(cose, head, sizeof head) == 0);
    CHECK(cose[m - 34] == 0x58 && cose[m - 33] == 0x20);
    CHECK(vv_cose_mac0(senml, n, key, cose, 40) == 0);
    CHECK(vv_senml_encode("3f2b9a0e-8c1d-4e6f-9a7b-0c1d2e3f4a5b", rs, 2, senml, 20) == 0);
}


/* A receipt as the gateway writes it, for the settle checks. */
static vv_receipt receipt(long stored, int64_t from, int64_t up_to, long rejected_total) {
    vv_receipt r;
    memset(&r, 0, sizeof r);
    r.messages = 1;
    r.stored = stored;
    r.from_ms = from;
    r.up_to_ms = up_to;
    r.rejected_total = rejected_total;
    return r;
}

static void reject(vv_receipt *r, int index, const char *reason, int64_t time_ms) {
    vv_rejected *x = &r->rejected[r->listed++];
    x->index = index;
    strcpy(x->reason, reason);
    x->time_ms = time_ms;
}

#define T0 1780000000000LL

static void settle_deletes_the_stored_range_and_final_rejections_and_keeps_retries(void) {
    vv_reading rs[5];
    vv_fate fate[5];
    const char *why[5];
    vv_outcome out;
    vv_receipt r = receipt(3, T0, T0 + 4000, 2);
    for (int i = 0; i < 5; i++) rs[i] = reading(T0 + i * 1000, 70);
    reject(&r, 1, "out-of-range", T0 + 1000);
    reject(&r, 3, "time-in-future", T0 + 3000);
    vv_receipt_settle(&r, rs, 5, fate, why, &out);
    CHECK(out.about && out.retry && !out.split && out.halt == NULL);
    CHECK(fate[0] == VV_STORED && fate[2] == VV_STORED && fate[4] == VV_STORED);
    CHECK(fate[1] == VV_DROPPED && strcmp(why[1], "out-of-range") == 0);
    CHECK(fate[3] == VV_KEEP && strcmp(why[3], "time-in-future") == 0);
}

static void settle_keeps_readings_in_range_when_the_rejection_list_was_cut_short(void) {
    vv_reading rs[3];
    vv_fate fate[3];
    vv_outcome out;
    vv_receipt r = receipt(1, T0, T0 + 2000, 2); /* two rejections, one listed */
    for (int i = 0; i < 3; i++) rs[i] = reading(T0 + i * 1000, 70);
    reject(&r, 0, "out-of-range", T0);
    vv_receipt_settle(&r, rs, 3, fate, NULL, &out);
    CHECK(out.about && fate[0] == VV_DROPPED && fate[1] == VV_KEEP && fate[2] == VV_KEEP);
}

static void settle_applies_a_whole_message_rejection_to_every_reading(void) {
    vv_reading rs[3];
    vv_fate fate[3];
    vv_outcome out;
    vv_receipt r = receipt(0, 0, 0, 1);
    for (int i = 0; i < 3; i++) rs[i] = reading(T0 + i * 1000, 70);
    reject(&r, -1, "rate-limited", 0);
    vv_receipt_settle(&r, rs, 3, fate, NULL, &out);
    CHECK(out.about && out.retry && fate[0] == VV_KEEP && fate[2] == VV_KEEP);

    r = receipt(0, 0, 0, 1);
    reject(&r, -1, "mac-invalid", 0);
    vv_receipt_settle(&r, rs, 3, fate, NULL, &out);
    CHECK(out.about && out.halt != NULL && strcmp(out.halt, "mac-invalid") == 0 && fate[1] == VV_KEEP);

    r = receipt(0, 0, 0, 1);
    reject(&r, -1, "too-many-records", 0);
    vv_receipt_settle(&r, rs, 3, fate, NULL, &out);
    CHECK(out.split && !out.retry && fate[0] == VV_KEEP);
}

static void settle_ignores_a_late_receipt_about_other_readings(void) {
    vv_reading rs[2] = {reading(T0 + 20000, 70), reading(T0 + 21000, 70)};
    vv_fate fate[2];
    vv_outcome out;
    vv_receipt r = receipt(20, T0, T0 + 19000, 0); /* a resent copy of the previous message */
    vv_receipt_settle(&r, rs, 2, fate, NULL, &out);
    CHECK(!out.about && fate[0] == VV_UNTOUCHED && fate[1] == VV_UNTOUCHED);
}

static void settle_names_a_rejected_reading_by_its_time_before_its_index(void) {
    /* A late receipt of an earlier pack rejected index 0 at T0 + 5000; in this pack index 0 is another reading. */
    vv_reading rs[2] = {reading(T0 + 5000, 70), reading(T0 + 9000, 70)};
    vv_fate fate[2];
    vv_outcome out;
    vv_receipt r = receipt(0, 0, 0, 1);
    reject(&r, 1, "time-in-future", T0 + 5000);
    vv_receipt_settle(&r, rs, 2, fate, NULL, &out);
    CHECK(fate[0] == VV_KEEP && fate[1] == VV_UNTOUCHED);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    buffer_keeps_pending_readings_across_a_reopen_and_cuts_a_torn_tail(dir);
    buffer_compacts_a_long_done_prefix(dir);
    receipt_reader_reads_the_gateway_example();
    reasons_are_final_only_where_no_resend_can_help();
    cose_message_has_the_layout_the_gateway_verifies();
    settle_deletes_the_stored_range_and_final_rejections_and_keeps_retries();
    settle_keeps_readings_in_range_when_the_rejection_list_was_cut_short();
    settle_applies_a_whole_message_rejection_to_every_reading();
    settle_ignores_a_late_receipt_about_other_readings();
    settle_names_a_rejected_reading_by_its_time_before_its_index();
    if (failures == 0) printf("vv-check: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
