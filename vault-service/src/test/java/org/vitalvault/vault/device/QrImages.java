package org.vitalvault.vault.device;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a pairing QR code back as a scanner would: the SVG's dark modules are painted into a
 * bitmap (4 pixels a module) and ZXing's QR reader decodes the bitmap. Nothing of PairingQr is
 * reused, so a wrong SVG (a shifted run, a missing row) fails to decode or decodes to other text.
 */
final class QrImages {

    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
    private static final int SCALE = 4;

    private QrImages() {
    }

    static String decode(String svg) throws Exception {
        Matcher box = VIEW_BOX.matcher(svg);
        if (!box.find()) {
            throw new AssertionError("no viewBox in " + svg.substring(0, Math.min(200, svg.length())));
        }
        int w = Integer.parseInt(box.group(1));
        int h = Integer.parseInt(box.group(2));
        int[] pixels = new int[w * SCALE * h * SCALE];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        String path = svg.substring(svg.indexOf(" d=\"") + 4, svg.lastIndexOf('"'));
        Matcher run = RUN.matcher(path);
        int end = 0;
        while (run.find()) {
            if (run.start() != end) {
                throw new AssertionError("unexpected path text at " + end);
            }
            end = run.end();
            int x0 = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int n = Integer.parseInt(run.group(3));
            for (int x = x0; x < x0 + n; x++) {
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        pixels[(y * SCALE + dy) * w * SCALE + x * SCALE + dx] = 0xFF000000;
                    }
                }
            }
        }
        RGBLuminanceSource source = new RGBLuminanceSource(w * SCALE, h * SCALE, pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.CHARACTER_SET, "UTF-8")).getText();
    }
}
