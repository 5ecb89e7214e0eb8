package org.vitalvault.vault.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.reading.Reading;

/**
 * The CSV export (UTF-8, RFC 4180 quoting, lines ending in {@code \n}): the header
 * {@code metric,device_id,device_time,received_time,value,unit}, then one line per unique reading,
 * metric by metric in catalogue order, each in (device time, device id) order. Times are ISO-8601
 * instants in UTC with milliseconds when not whole seconds; the value is in the metric's canonical
 * unit, written as {@link TextBuffer#appendDecimal} does; the unit is its UCUM code, the same code
 * the FHIR export uses.
 */
final class CsvExportWriter implements ExportWriter {

    static final String HEADER = "metric,device_id,device_time,received_time,value,unit";
    private static final int FLUSH_AT = 1 << 16;

    private final Writer out;
    private final TextBuffer line = new TextBuffer(FLUSH_AT + 256);
    private final InstantText deviceTime = new InstantText();
    private final InstantText receivedTime = new InstantText();
    private final Map<UUID, char[]> deviceText = new HashMap<>();
    private UUID lastDevice;
    private char[] lastDeviceText;

    CsvExportWriter(OutputStream out) {
        this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    @Override
    public void begin(List<ExportDevice> devices) throws IOException {
        line.append(HEADER).append('\n');
    }

    @Override
    public void hour(Metric metric, List<Reading> readings) throws IOException {
        char[] code = field(metric.code());
        char[] unit = field(metric.ucum());
        for (Reading r : readings) {
            line.append(code).append(',').append(device(r.deviceId())).append(',');
            deviceTime.append(line, r.deviceTimeMillis());
            line.append(',');
            receivedTime.append(line, r.receivedTimeMillis());
            line.append(',').appendDecimal(r.value()).append(',').append(unit).append('\n');
            if (line.length() >= FLUSH_AT) {
                flushLine();
            }
        }
    }

    @Override
    public void end() throws IOException {
        flushLine();
        out.flush();
    }

    private void flushLine() throws IOException {
        out.write(line.chars(), 0, line.length());
        line.clear();
    }

    private char[] device(UUID id) {
        if (id != lastDevice) {
            lastDevice = id;
            lastDeviceText = deviceText.computeIfAbsent(id, d -> d.toString().toCharArray());
        }
        return lastDeviceText;
    }

    /** RFC 4180 quoting, for catalogue text that might one day hold a comma or a quote. */
    static char[] field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s.toCharArray();
        }
        return ('"' + s.replace("\"", "\"\"") + '"').toCharArray();
    }
}
