package org.vitalvault.vault.device;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The pairing response as a QR code (decision 048): a JSON object a setup app or a device with a
 * camera reads instead of copying the credential by hand, rendered server-side to an SVG string
 * (ZXing's encoder; the SVG is written here, so no AWT), which the web app shows as an
 * {@code <img>} with a data: URL. It carries the credential: it is shown once, like the credential.
 *
 * <p>Content: {@code {"v":1,"deviceId","credential","mqttUrl","topic","receiptTopic","macKey",
 * "macRequired"}} and {@code "caPem"} when the broker's CA certificate keeps the code small enough to
 * scan from a phone screen ({@link #MAX_BYTES}); otherwise {@code "caPemOmitted":true} tells the
 * reader to take the CA from the pairing response instead.
 */
public final class PairingQr {

    /**
     * The most bytes a pairing QR holds: about QR version 25 at error correction level M (117
     * modules a side), still readable by phone cameras at a normal screen size. The content without
     * a CA is about 300 bytes (version 11–12); an EC CA certificate fits, a typical RSA one does not.
     */
    static final int MAX_BYTES = 1000;
    /** Modules of white border on each side, as the QR standard asks. */
    private static final int QUIET_ZONE = 4;

    /** The code and whether the CA certificate is in it. */
    public record Qr(String svg, String content, boolean includesCaPem) {
        @Override
        public String toString() {
            return "Qr[<credential>]";
        }
    }

    private PairingQr() {
    }

    public static Qr of(UUID deviceId, String credential, String mqttUrl, String topic, String receiptTopic,
                        String macKey, boolean macRequired, String caPem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("v", 1);
        fields.put("deviceId", deviceId.toString());
        fields.put("credential", credential);
        fields.put("mqttUrl", mqttUrl);
        fields.put("topic", topic);
        fields.put("receiptTopic", receiptTopic);
        fields.put("macKey", macKey);
        fields.put("macRequired", macRequired);
        String withoutCa = json(fields);
        String content = withoutCa;
        boolean includesCa = false;
        if (caPem != null) {
            Map<String, Object> withCa = new LinkedHashMap<>(fields);
            withCa.put("caPem", caPem);
            String candidate = json(withCa);
            if (candidate.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
                content = candidate;
                includesCa = true;
            } else {
                fields.put("caPemOmitted", true);
                content = json(fields);
            }
        }
        return new Qr(svg(matrix(content)), content, includesCa);
    }

    /** The QR modules of {@code content} (byte mode, UTF-8, level M), with the quiet zone. */
    static BitMatrix matrix(String content) {
        try {
            return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.CHARACTER_SET, "UTF-8",
                    EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalStateException("pairing content does not fit a QR code", e);
        }
    }

    /**
     * One module per SVG unit, dark runs of a row as one path segment each ({@code M x y h n v1 h-n z}),
     * so the SVG stays a few kilobytes; crispEdges keeps modules sharp when scaled.
     */
    static String svg(BitMatrix m) {
        int w = m.getWidth();
        int h = m.getHeight();
        StringBuilder path = new StringBuilder(w * h / 2);
        for (int y = 0; y < h; y++) {
            int x = 0;
            while (x < w) {
                if (!m.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && m.get(x, y)) {
                    x++;
                }
                path.append('M').append(start).append(' ').append(y).append('h').append(x - start)
                        .append("v1h-").append(x - start).append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + (w * 4)
                + "\" height=\"" + (h * 4) + "\" shape-rendering=\"crispEdges\" role=\"img\""
                + " aria-label=\"Pairing QR code\"><rect width=\"" + w + "\" height=\"" + h + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }

    private static String json(Map<String, Object> fields) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof String text) {
                quote(s, text);
            } else {
                s.append(v);
            }
        }
        return s.append('}').toString();
    }

    private static void quote(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
