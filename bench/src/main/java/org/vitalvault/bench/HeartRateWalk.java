package org.vitalvault.bench;

import java.util.SplittableRandom;

/**
 * A plausible 1 Hz heart rate in whole beats per minute for the vault benchmark: a random walk that
 * drifts towards a target depending on the time of day (UTC) — asleep 23:00–07:00 around 56 bpm,
 * awake around 72 — with a workout (45 min around 145 bpm) every other evening and a few short
 * bursts of activity (stairs, a walk: 2–6 min around 105 bpm) a day, clamped to 50–180 bpm.
 *
 * <p>Each second the value stays put or moves by one beat (rarely two), with a pull towards the
 * target that is stronger while a workout starts or ends — what a chest strap reports. Deterministic
 * for a given seed and start time.
 */
final class HeartRateWalk {

    static final int MIN = 50;
    static final int MAX = 180;

    private final SplittableRandom random;
    private int value = 64;
    private long burstUntil = Long.MIN_VALUE;
    private long consecutiveSame;
    private long steps;
    private long sum;
    private int lowest = Integer.MAX_VALUE;
    private int highest = Integer.MIN_VALUE;

    HeartRateWalk(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The reading at {@code epochSecond}; call once per second, in order. */
    int next(long epochSecond) {
        long secondOfDay = Math.floorMod(epochSecond, 86_400L);
        long day = Math.floorDiv(epochSecond, 86_400L);
        int hour = (int) (secondOfDay / 3600);
        boolean asleep = hour >= 23 || hour < 7;
        boolean workout = (day & 1) == 0 && secondOfDay >= 18 * 3600 && secondOfDay < 18 * 3600 + 45 * 60;
        if (!asleep && !workout && epochSecond >= burstUntil && random.nextInt(12_000) == 0) {
            burstUntil = epochSecond + 120 + random.nextInt(241); // about 5 bursts a day of 2–6 min
        }
        int target = workout ? 145 : epochSecond < burstUntil ? 105 : asleep ? 56 : 72;
        double pull = workout || epochSecond < burstUntil ? 0.35 : 0.06;
        int previous = value;
        int step = 0;
        double u = random.nextDouble();
        if (u < 0.12) {
            step = -1;
        } else if (u < 0.24) {
            step = 1;
        } else if (u < 0.245) {
            step = random.nextBoolean() ? 2 : -2;
        }
        if (target != value && random.nextDouble() < pull) {
            step += Integer.signum(target - value);
        }
        value = Math.max(MIN, Math.min(MAX, value + step));
        steps++;
        sum += value;
        lowest = Math.min(lowest, value);
        highest = Math.max(highest, value);
        if (steps > 1 && value == previous) {
            consecutiveSame++;
        }
        return value;
    }

    /** "mean 68.1, min 50, max 163, unchanged from the previous second 61%". */
    String describe() {
        return String.format(java.util.Locale.ROOT, "mean %.1f bpm, min %d, max %d, unchanged from the previous second %.0f%%",
                steps == 0 ? 0d : (double) sum / steps, lowest, highest, steps < 2 ? 0d : 100d * consecutiveSame / (steps - 1));
    }
}
