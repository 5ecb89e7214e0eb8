/**
 * What owners consent to: {@link org.vitalvault.policy.consent.ConsentGrant grants} of
 * {@link org.vitalvault.policy.consent.Terms terms} to an {@link org.vitalvault.policy.consent.Audience audience},
 * co-ops' standing terms and memberships, the attributes owners choose to share, and the
 * {@link org.vitalvault.policy.consent.SystemPolicy system's} own terms.
 *
 * <p><b>The stricter term wins.</b> Owner, co-op and system terms combine by
 * {@link org.vitalvault.policy.consent.Terms#narrowedBy the meet}: fewer purposes, metrics and kinds,
 * coarser granularity, later start and earlier end, larger k, smaller ε, dearer tier. A co-op
 * member's grant is the co-op's terms narrowed by the member's own; the engine then applies the
 * system's k and ε caps on top.
 *
 * <p>All types are immutable records or enums, validated in their constructors with messages that
 * start with the field's name (the REST layer maps them to 400 problems).
 */
package org.vitalvault.policy.consent;
