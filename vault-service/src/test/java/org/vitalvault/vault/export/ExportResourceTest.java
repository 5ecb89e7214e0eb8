package org.vitalvault.vault.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.storage.CompactionJob;
import org.vitalvault.vault.support.Tokens;

/**
 * An owner's export over the real stack: sealed rows written as the gateway writes them, some
 * compacted by the vault, read back through {@code GET /owners/{id}/export} and checked with HAPI
 * FHIR (strict parse and the base R4 validator).
 */
@QuarkusTest
class ExportResourceTest {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactionJob compactor;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);

    private record Owner(String token, UUID id) {
        static Owner create() {
            String token = Tokens.newOwnerToken();
            return new Owner(token, Tokens.register(token));
        }

        UUID pair(String name) {
            return UUID.fromString(given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\"}").post("/owners/" + id + "/devices")
                    .then().statusCode(201).extract().path("id"));
        }

        String export(String format, String mediaType) {
            return given().auth().oauth2(token).queryParam("format", format).get("/owners/" + id + "/export")
                    .then().statusCode(200).contentType(startsWith(mediaType))
                    .header("Content-Disposition", containsString("attachment"))
                    .extract().asString();
        }
    }

    @Test
    void aVaultHoldingEveryCatalogueMetricExportsAsValidFhirR4() throws Exception {
        Owner owner = Owner.create();
        UUID strap = owner.pair("chest strap");
        UUID cuff = owner.pair("arm cuff");
        for (Metric m : CATALOGUE.all()) {
            List<Reading> readings = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = hour.plusSeconds(600L * i + 7).toEpochMilli();
                readings.add(new Reading(i == 2 ? cuff : strap, t, t + 20, m.clampMin() + i * m.binWidth() / 4));
            }
            ExportData.seal(dataSource, owner.id(), m.code(), hour, readings);
        }
        ExportData.seal(dataSource, owner.id(), "heart_rate", hour.plus(1, ChronoUnit.HOURS),
                ExportData.oneHz(strap, hour.plus(1, ChronoUnit.HOURS), 3600, Set.of()));
        compactor.compactOwner(owner.id(), 100);

        String json = owner.export("fhir", "application/fhir+json");
        Bundle bundle = FhirBundles.parse(json);
        FhirBundles.assertObservationsComplete(bundle);
        assertEquals(CATALOGUE.all().stream().map(Metric::loinc).collect(Collectors.toSet()), FhirBundles.codesOf(bundle));
        assertEquals(Set.of("chest strap", "arm cuff"), bundle.getEntry().stream()
                .filter(e -> e.getResource() instanceof Device)
                .map(e -> ((Device) e.getResource()).getDeviceNameFirstRep().getName()).collect(Collectors.toSet()));
        assertEquals(1, FhirBundles.observations(bundle).stream().filter(Observation::hasValueSampledData).count());
        assertEquals(List.of(), FhirBundles.validationErrors(json));
    }

    @Test
    void fhirIsTheDefaultFormat() {
        Owner owner = Owner.create();
        given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/export").then().statusCode(200)
                .contentType(startsWith("application/fhir+json")).body("resourceType", equalTo("Bundle"))
                .body("type", equalTo("collection")).body("entry[0].resource.resourceType", equalTo("Patient"))
                .body("entry[0].fullUrl", equalTo("urn:uuid:" + owner.id()));
    }

    @Test
    void anHourOf1HzHeartRateIsOneObservationWithSampledDataAndItsGap() throws Exception {
        Owner owner = Owner.create();
        UUID strap = owner.pair("chest strap");
        List<Reading> readings = ExportData.oneHz(strap, hour, 3600, Set.of(100, 101, 2500));
        // Half the hour compacted, half still pending: the export must see one series.
        ExportData.seal(dataSource, owner.id(), "heart_rate", hour, readings.subList(0, 1800));
        compactor.compactOwner(owner.id(), 100);
        ExportData.seal(dataSource, owner.id(), "heart_rate", hour, readings.subList(1800, readings.size()));

        Bundle bundle = FhirBundles.parse(owner.export("fhir", "application/fhir+json"));
        List<Observation> observations = FhirBundles.observations(bundle);
        assertEquals(1, observations.size());
        Observation o = observations.get(0);
        assertEquals(1000, o.getValueSampledData().getPeriod().intValueExact());
        assertEquals("urn:uuid:" + strap, o.getDevice().getReference());
        List<Double> expected = new ArrayList<>();
        int next = 0;
        for (int s = 0; s < 3600; s++) {
            if (next < readings.size() && readings.get(next).deviceTimeMillis() == hour.toEpochMilli() + s * 1000L) {
                expected.add(readings.get(next++).value());
            } else {
                expected.add(null);
            }
        }
        assertEquals(expected, FhirBundles.slots(o.getValueSampledData()));
        assertTrue(expected.subList(100, 102).stream().allMatch(v -> v == null));
        assertEquals(hour, o.getEffectivePeriod().getStart().toInstant());
    }

    @Test
    void irregularReadingsBecomeOneQuantityObservationEach() throws Exception {
        Owner owner = Owner.create();
        UUID cuff = owner.pair("arm cuff");
        long t = hour.toEpochMilli();
        ExportData.seal(dataSource, owner.id(), "systolic_bp", hour, List.of(new Reading(cuff, t + 61_000, t + 62_000, 121),
                new Reading(cuff, t + 1_250_500, t + 1_251_000, 118), new Reading(cuff, t + 3_000_000, t + 3_000_100, 126)));

        Bundle bundle = FhirBundles.parse(owner.export("fhir", "application/fhir+json"));
        FhirBundles.assertObservationsComplete(bundle);
        List<Observation> observations = FhirBundles.observations(bundle);
        assertEquals(List.of("121", "118", "126"), observations.stream()
                .map(o -> o.getValueQuantity().getValueElement().getValueAsString()).toList());
        assertEquals(Instant.ofEpochMilli(t + 1_250_500), observations.get(1).getEffectiveDateTimeType().getValue().toInstant());
        assertEquals("mm[Hg]", observations.get(0).getValueQuantity().getCode());
    }

    @Test
    void csvHasOneLinePerUniqueReadingEvenWhenStoredTwice() throws Exception {
        Owner owner = Owner.create();
        UUID strap = owner.pair("chest strap");
        long t = hour.plusSeconds(30).toEpochMilli();
        Reading first = new Reading(strap, t, t + 40, 64);
        ExportData.seal(dataSource, owner.id(), "heart_rate", hour, List.of(first, new Reading(strap, t + 1000, t + 1040, 65.5)));
        compactor.compactOwner(owner.id(), 100);
        // A broker redelivery: the same reading again, pending, next to a new one.
        ExportData.seal(dataSource, owner.id(), "heart_rate", hour, List.of(new Reading(strap, t, t + 900, 64),
                new Reading(strap, t + 2000, t + 2040, 66)));
        ExportData.seal(dataSource, owner.id(), "body_temperature", hour, List.of(new Reading(strap, t, t + 50, 36.6)));

        String csv = owner.export("csv", "text/csv");
        List<String> lines = Arrays.asList(csv.split("\n"));
        assertEquals(List.of(
                "metric,device_id,device_time,received_time,value,unit",
                "heart_rate," + strap + "," + Instant.ofEpochMilli(t) + "," + Instant.ofEpochMilli(t + 40) + ",64,/min",
                "heart_rate," + strap + "," + Instant.ofEpochMilli(t + 1000) + "," + Instant.ofEpochMilli(t + 1040) + ",65.5,/min",
                "heart_rate," + strap + "," + Instant.ofEpochMilli(t + 2000) + "," + Instant.ofEpochMilli(t + 2040) + ",66,/min",
                "body_temperature," + strap + "," + Instant.ofEpochMilli(t) + "," + Instant.ofEpochMilli(t + 50) + ",36.6,Cel"),
                lines);
    }

    @Test
    void anotherOwnersExportIsA404Problem() {
        Owner alice = Owner.create();
        Owner mallory = Owner.create();
        given().auth().oauth2(mallory.token()).get("/owners/" + alice.id() + "/export").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("type", equalTo("https://vitalvault.org/problems/not-found"));
    }

    @Test
    void unknownFormatIsA400ProblemNamingTheField() {
        Owner owner = Owner.create();
        given().auth().oauth2(owner.token()).queryParam("format", "xml").get("/owners/" + owner.id() + "/export")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("format"))
                .body("errors[0].message", equalTo("must be one of fhir, csv"));
    }

    @Test
    void onlyTheOwnerRoleMayExport() {
        Owner owner = Owner.create();
        String researcher = Tokens.tokenFor("researcher-" + UUID.randomUUID(), "researcher");
        given().auth().oauth2(researcher).get("/owners/" + owner.id() + "/export").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void withoutATokenIsA401() {
        given().get("/owners/" + UUID.randomUUID() + "/export").then().statusCode(401);
    }
}
