package org.vitalvault.deploy.simulator;

import java.util.Random;

/**
 * A plausible, slowly wandering vital sign for one person: a mean-reverting random walk around a
 * personal baseline, rounded as real devices report it (whole beats, whole percent, 0.1 °C).
 */
final class VitalSign {

    private final String senmlName;
    private final String unit;
    private final double baseline;
    private final double spread;
    private final double step;
    private final double resolution;
    private final double min;
    private final double max;
    private double current;

    VitalSign(String senmlName, String unit, double baseline, double spread, double step, double resolution,
              double min, double max) {
        this.senmlName = senmlName;
        this.unit = unit;
        this.baseline = baseline;
        this.spread = spread;
        this.step = step;
        this.resolution = resolution;
        this.min = min;
        this.max = max;
        this.current = baseline;
    }

    static VitalSign heartRate(Random r) {
        return new VitalSign("heart_rate", "beat/min", 58 + r.nextInt(25), 12, 1.5, 1, 40, 180);
    }

    static VitalSign spo2(Random r) {
        return new VitalSign("spo2", "%", 96 + r.nextInt(3), 1.5, 0.4, 1, 88, 100);
    }

    static VitalSign bodyTemperature(Random r) {
        return new VitalSign("body_temperature", "Cel", 36.5 + r.nextDouble() * 0.5, 0.4, 0.05, 0.1, 35.5, 39.5);
    }

    static VitalSign respiratoryRate(Random r) {
        return new VitalSign("respiratory_rate", "/min", 13 + r.nextInt(5), 3, 0.5, 1, 8, 30);
    }

    String senmlName() {
        return senmlName;
    }

    String unit() {
        return unit;
    }

    double next(Random r) {
        // Pull back towards the baseline so the walk stays in a person's normal band.
        current += r.nextGaussian() * step - (current - baseline) / (spread * 4);
        current = Math.max(min, Math.min(max, current));
        return Math.round(current / resolution) * resolution;
    }
}
