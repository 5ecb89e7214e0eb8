package org.vitalvault.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseRequest;

/** Shared test values: fixed instants, ids, and terms and requests with readable defaults. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final UUID RESEARCHER = new UUID(0xA11CEL, 1);
    public static final UUID OTHER_RESEARCHER = new UUID(0xA11CEL, 2);
    public static final UUID COOP = new UUID(0xC00FL, 1);
    public static final UUID OTHER_COOP = new UUID(0xC00FL, 2);

    private Fixtures() {
    }

    public static Instant day(long d) {
        return T0.plus(Duration.ofDays(d));
    }

    public static TimeWindow days(long from, long until) {
        return new TimeWindow(day(from), day(until));
    }

    public static Clock clockAt(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    public static UUID owner(int i) {
        return new UUID(0x0E0EL, i);
    }

    public static UUID grantId(int owner, int n) {
        return new UUID(0x6E0EL + n, owner);
    }

    /** Terms that cover {@link #request()} at day 0. */
    public static TermsSpec terms() {
        return new TermsSpec();
    }

    /** Daily mean heart rate for HRESCH, data of days −30..0, lease days 0..90, ε 1. */
    public static RequestSpec request() {
        return new RequestSpec();
    }

    public static ConsentGrant grant(int owner, Audience audience, Terms terms) {
        return new ConsentGrant(grantId(owner, 0), owner(owner), audience, terms, null);
    }

    public static ConsentGrant grantToResearcher(int owner, Terms terms) {
        return grant(owner, new Audience.Researcher(RESEARCHER), terms);
    }

    /** A mutable builder of {@link Terms} with permissive defaults. */
    public static final class TermsSpec {
        public Set<Purpose> purposes = EnumSet.of(Purpose.HRESCH, Purpose.PUBHLTH);
        public Set<String> metrics = Set.of("heart_rate", "spo2");
        public Set<AggregateKind> kinds = EnumSet.allOf(AggregateKind.class);
        public Granularity finest = Granularity.HOUR;
        public TimeWindow dataWindow = days(-365, 365);
        public TimeWindow validity = days(-30, 180);
        public int k = 11;
        public double epsilonPerLease = 1.0;
        public double epsilonPerYear = 5.0;
        public PriceTier tier = PriceTier.STANDARD;

        public TermsSpec purposes(Purpose... p) {
            purposes = Set.of(p);
            return this;
        }

        public TermsSpec metrics(String... m) {
            metrics = Set.of(m);
            return this;
        }

        public TermsSpec kinds(AggregateKind... k) {
            kinds = Set.of(k);
            return this;
        }

        public TermsSpec finest(Granularity g) {
            finest = g;
            return this;
        }

        public TermsSpec dataWindow(TimeWindow w) {
            dataWindow = w;
            return this;
        }

        public TermsSpec validity(TimeWindow w) {
            validity = w;
            return this;
        }

        public TermsSpec k(int v) {
            k = v;
            return this;
        }

        public TermsSpec epsilon(double perLease, double perYear) {
            epsilonPerLease = perLease;
            epsilonPerYear = perYear;
            return this;
        }

        public TermsSpec tier(PriceTier t) {
            tier = t;
            return this;
        }

        public Terms build() {
            return new Terms(purposes, metrics, kinds, finest, dataWindow, validity, k, epsilonPerLease, epsilonPerYear, tier);
        }
    }

    /** A mutable builder of {@link LeaseRequest}. */
    public static final class RequestSpec {
        public UUID researcher = RESEARCHER;
        public Purpose purpose = Purpose.HRESCH;
        public Set<String> metrics = Set.of("heart_rate");
        public Set<AggregateKind> kinds = EnumSet.of(AggregateKind.MEAN);
        public Granularity granularity = Granularity.DAY;
        public TimeWindow dataWindow = days(-30, 0);
        public TimeWindow validity = days(0, 90);
        public double epsilon = 1.0;
        public CohortFilter cohort = CohortFilter.ANYONE;

        public RequestSpec purpose(Purpose p) {
            purpose = p;
            return this;
        }

        public RequestSpec metrics(String... m) {
            metrics = Set.of(m);
            return this;
        }

        public RequestSpec kinds(AggregateKind... k) {
            kinds = Set.of(k);
            return this;
        }

        public RequestSpec granularity(Granularity g) {
            granularity = g;
            return this;
        }

        public RequestSpec dataWindow(TimeWindow w) {
            dataWindow = w;
            return this;
        }

        public RequestSpec validity(TimeWindow w) {
            validity = w;
            return this;
        }

        public RequestSpec epsilon(double e) {
            epsilon = e;
            return this;
        }

        public RequestSpec cohort(CohortFilter c) {
            cohort = c;
            return this;
        }

        public LeaseRequest build() {
            return new LeaseRequest(researcher, purpose, metrics, kinds, granularity, dataWindow, validity, epsilon, cohort);
        }
    }
}
