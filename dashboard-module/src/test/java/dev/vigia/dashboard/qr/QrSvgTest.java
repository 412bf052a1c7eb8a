package dev.vigia.dashboard.qr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QrSvgTest {

  // the shape of a WhatsApp link payload: ref, noise key, identity key, adv secret
  static final String WHATSAPP_LIKE = "2@Yb0QkU4xYpJ8m2Vf9dQe7Ww0aX1c3Lr5Tn8Hs6Jk2Mq4Pz9Bv7Gd1Fy3Nu5Ci8Ro0El6Ta2"
      + "Wg4Xh,7dYq2Zk8Lm4Np6Rs0Tv3Wx5Ya9Bc1De7Fg=,Hj2Kl4Mn6Pq8Rs0Tu3Vw5Xy7Za9Bc1De=,Fg3Hi5Jk7Lm9No=";

  static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");

  @Test
  void svgDecodesBackToThePayload() throws Exception {
    assertEquals(WHATSAPP_LIKE, decode(parse(QrSvg.render(WHATSAPP_LIKE))));
  }

  static String decode(boolean[][] drawn) throws Exception {
    int scale = 4;
    int side = drawn.length * scale;
    int[] pixels = new int[side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        pixels[y * side + x] = drawn[y / scale][x / scale] ? 0xFF000000 : 0xFFFFFFFF;
      }
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
    return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
        .getText();
  }

  @Test
  void svgModulesAreExactlyZxingsGridInsideTheQuietZone() throws Exception {
    ByteMatrix expected = Encoder.encode(WHATSAPP_LIKE, ErrorCorrectionLevel.M).getMatrix();
    boolean[][] drawn = parse(QrSvg.render(WHATSAPP_LIKE));
    int q = QrSvg.QUIET_ZONE;
    assertEquals(expected.getWidth() + 2 * q, drawn.length);
    for (int y = 0; y < drawn.length; y++) {
      for (int x = 0; x < drawn.length; x++) {
        int ex = x - q;
        int ey = y - q;
        boolean inside = ex >= 0 && ey >= 0 && ex < expected.getWidth() && ey < expected.getHeight();
        boolean dark = inside && expected.get(ex, ey) == 1;
        assertEquals(dark, drawn[y][x], "module " + x + "," + y);
      }
    }
  }

  @Test
  void svgIsCrispAndNeverContainsThePayload() {
    String svg = QrSvg.render(WHATSAPP_LIKE);
    assertTrue(svg.contains("shape-rendering=\"crispEdges\""));
    assertTrue(svg.startsWith("<?xml"));
    assertFalse(svg.contains("Yb0QkU4x"), "the payload is a secret: only its modules are drawn");
    assertFalse(svg.contains("<script"));
  }

  @Test
  void nonAsciiTextRoundTrips() throws Exception {
    assertEquals("Sesión ñandú", decode(parse(QrSvg.render("Sesión ñandú"))));
  }

  @Test
  void sameInputSameDrawing() {
    assertArrayEquals(QrSvg.modules("abc"), QrSvg.modules("abc"));
    assertEquals(QrSvg.render("abc"), QrSvg.render("abc"));
  }

  @Test
  void emptyOrMissingPayloadIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> QrSvg.render(""));
    assertThrows(IllegalArgumentException.class, () -> QrSvg.render(null));
  }

  /** Rebuilds the module grid (with the quiet zone) from the SVG text itself. */
  static boolean[][] parse(String svg) {
    Matcher box = VIEW_BOX.matcher(svg);
    assertTrue(box.find(), "viewBox");
    int size = Integer.parseInt(box.group(1));
    assertEquals(size, Integer.parseInt(box.group(2)), "square");
    boolean[][] grid = new boolean[size][size];
    Matcher run = RUN.matcher(svg);
    int runs = 0;
    while (run.find()) {
      int x = Integer.parseInt(run.group(1));
      int y = Integer.parseInt(run.group(2));
      int w = Integer.parseInt(run.group(3));
      assertEquals(w, Integer.parseInt(run.group(4)), "closed rectangle");
      for (int i = 0; i < w; i++) {
        assertFalse(grid[y][x + i], "no module drawn twice");
        grid[y][x + i] = true;
      }
      runs++;
    }
    assertTrue(runs > 20, "a real code has many runs");
    return grid;
  }
}
