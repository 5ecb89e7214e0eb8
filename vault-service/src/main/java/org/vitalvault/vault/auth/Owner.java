package org.vitalvault.vault.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A person who owns a vault. Identified to REST by the bearer token's subject. */
@Entity
@Table(name = "owner")
public class Owner extends PanacheEntityBase {

    @Id
    @Column(name = "owner_id")
    public UUID id;

    @Column(nullable = false, unique = true)
    public String subject;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Optional<Owner> findBySubject(String subject) {
        return find("subject", subject).firstResultOptional();
    }
}
