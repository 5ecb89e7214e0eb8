package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;

/**
 * Reads an export back with HAPI FHIR, the reference implementation: a strict parse (unknown
 * elements, bad values and bad ids are errors), validation against the base R4 specification, and
 * the checks the vault promises on top (LOINC codes, UCUM units, references that resolve).
 */
final class FhirBundles {

    private static final FhirContext CONTEXT = FhirContext.forR4();
    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static FhirValidator validator;

    private FhirBundles() {
    }

    /** Parses strictly; any problem HAPI notices fails the test. */
    static Bundle parse(String json) {
        return CONTEXT.newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(Bundle.class, json);
    }

    /** The base R4 instance validator's errors (and fatal errors) about the bundle, as lines. */
    static List<String> validationErrors(String json) {
        ValidationResult result = validator().validateWithResult(json);
        List<String> errors = new ArrayList<>();
        for (SingleValidationMessage m : result.getMessages()) {
            if (m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL) {
                errors.add(m.getLocationString() + ": " + m.getMessage());
            }
        }
        return errors;
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(CONTEXT),
                    new CommonCodeSystemsTerminologyService(CONTEXT),
                    new InMemoryTerminologyServerValidationSupport(CONTEXT),
                    new SnapshotGeneratingValidationSupport(CONTEXT));
            validator = CONTEXT.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        }
        return validator;
    }

    /** Entries by fullUrl. */
    static Map<String, Resource> byFullUrl(Bundle bundle) {
        Map<String, Resource> map = new HashMap<>();
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            assertTrue(e.getFullUrl().startsWith("urn:uuid:"), e.getFullUrl());
            assertEquals(null, map.put(e.getFullUrl(), e.getResource()), "fullUrl twice: " + e.getFullUrl());
        }
        return map;
    }

    static List<Observation> observations(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(Observation.class::cast).toList();
    }

    /**
     * Every Observation: final, a category, a catalogue metric's LOINC code, a UCUM unit equal to
     * the metric's, a value, and subject and device references that resolve inside the bundle.
     */
    static void assertObservationsComplete(Bundle bundle) {
        assertEquals(Bundle.BundleType.COLLECTION, bundle.getType());
        Map<String, Resource> entries = byFullUrl(bundle);
        Map<String, Metric> byLoinc = CATALOGUE.all().stream().collect(Collectors.toMap(Metric::loinc, m -> m));
        List<Observation> observations = observations(bundle);
        assertTrue(!observations.isEmpty(), "no Observation");
        for (Observation o : observations) {
            assertEquals(Observation.ObservationStatus.FINAL, o.getStatus());
            Coding category = o.getCategoryFirstRep().getCodingFirstRep();
            assertEquals("http://terminology.hl7.org/CodeSystem/observation-category", category.getSystem());
            Coding code = o.getCode().getCodingFirstRep();
            assertEquals("http://loinc.org", code.getSystem());
            Metric metric = byLoinc.get(code.getCode());
            assertNotNull(metric, "not a catalogue LOINC code: " + code.getCode());
            assertEquals(metric.display(), code.getDisplay());
            assertEquals("steps".equals(metric.code()) ? "activity" : "vital-signs", category.getCode());
            Quantity unit;
            if (o.hasValueSampledData()) {
                SampledData sd = o.getValueSampledData();
                unit = sd.getOrigin();
                assertEquals(0, sd.getOrigin().getValue().signum());
                assertEquals(1, sd.getDimensions());
                assertTrue(sd.getPeriod().signum() > 0);
                assertTrue(o.hasEffectivePeriod());
            } else {
                unit = o.getValueQuantity();
                assertNotNull(unit.getValue());
                assertTrue(o.hasEffectiveDateTimeType());
            }
            assertEquals("http://unitsofmeasure.org", unit.getSystem());
            assertEquals(metric.ucum(), unit.getCode());
            assertInstanceOf(Patient.class, entries.get(o.getSubject().getReference()), o.getSubject().getReference());
            assertInstanceOf(Device.class, entries.get(o.getDevice().getReference()), o.getDevice().getReference());
        }
    }

    /** Decodes SampledData: a value per slot, null for "E". */
    static List<Double> slots(SampledData sd) {
        List<Double> values = new ArrayList<>();
        for (String s : sd.getData().split(" ")) {
            values.add(s.equals("E") ? null : Double.valueOf(s));
        }
        return values;
    }

    static Set<String> codesOf(Bundle bundle) {
        return observations(bundle).stream().map(o -> o.getCode().getCodingFirstRep().getCode())
                .collect(Collectors.toSet());
    }
}
