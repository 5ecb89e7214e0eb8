package org.vitalvault.policy.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExactSamplingTest {

    @ParameterizedTest(name = "exp(-{0}/{1})")
    @CsvSource({"0, 1", "1, 2", "1, 1", "5, 2", "7, 3", "1, 1000000"})
    void bernoulliOfExpMinusGammaHasThatFrequency(long num, long den) {
        SecureRandom r = Samples.seeded(num * 100 + den);
        int n = Samples.N;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (ExactSampling.bernoulliExp(BigInteger.valueOf(num), BigInteger.valueOf(den), r)) {
                hits++;
            }
        }
        double p = Math.exp(-(double) num / den);
        assertEquals(p, (double) hits / n, 5 * Math.sqrt(p * (1 - p) / n) + 1e-12);
    }

    @Test
    void uniformIsUniformAboveTheLongFastPath() {
        BigInteger n = BigInteger.ONE.shiftLeft(100).add(BigInteger.valueOf(12345));
        SecureRandom r = Samples.seeded(5);
        int below = 0;
        BigInteger half = n.shiftRight(1);
        for (int i = 0; i < 20_000; i++) {
            BigInteger u = ExactSampling.uniform(n, r);
            assertTrue(u.signum() >= 0 && u.compareTo(n) < 0);
            if (u.compareTo(half) < 0) {
                below++;
            }
        }
        assertEquals(0.5, below / 20_000.0, 0.02);
    }

    @Test
    void uniformNeedsAPositiveBound() {
        assertThrows(IllegalArgumentException.class, () -> ExactSampling.uniform(BigInteger.ZERO, Samples.seeded(1)));
    }
}
