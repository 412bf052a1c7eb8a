package dev.vigia.monitor.alert;

import dev.vigia.common.Cause;
import java.util.Map;

/**
 * The words of an alert for a person, in Spanish or English: a subject naming the org, the kind
 * and the code, and a body saying what happened, why (code and plain words) and what to do.
 */
public final class AlertTexts {

  /** A rendered alert: one line of subject, a plain-text body. */
  public record Text(String subject, String body) {}

  private record Words(String title, String what, String todo) {}

  /** The server's own alerts (its disk), and its recovery. */
  private static final Map<String, Words> SERVER_ES = Map.of(
      AlertMessage.DISK_LOW, new Words("poco espacio en disco",
          "El disco del directorio de datos de Vigía tiene menos espacio libre que el umbral de "
              + "aviso. Si se llena, las escrituras fallan (las sesiones no se pueden guardar); "
              + "ningún archivo se corrompe.",
          "Libere espacio en ese disco (registros antiguos, copias) o amplíelo. El panel muestra "
              + "el espacio libre en «Operación»; `vigia doctor` da el detalle."),
      AlertMessage.DISK_FULL, new Words("disco lleno",
          "El disco del directorio de datos de Vigía está lleno: las sesiones, el diario y las "
              + "estadísticas no se pueden escribir y Vigía deja de estar listo (/health/ready). "
              + "Los archivos existentes siguen intactos.",
          "Libere espacio en ese disco ya. Vigía reanuda las escrituras por sí solo en cuanto "
              + "hay espacio; compruébelo con `vigia doctor`."),
      AlertMessage.RECOVERED, new Words("servidor recuperado",
          "El disco del directorio de datos vuelve a tener espacio suficiente.",
          "No hace falta hacer nada."));

  private static final Map<String, Words> SERVER_EN = Map.of(
      AlertMessage.DISK_LOW, new Words("low disk space",
          "The disk of Vigía's data dir has less free space than the warning threshold. If it "
              + "fills up, writes fail (sessions cannot be saved); no file is corrupted.",
          "Free space on that disk (old logs, copies) or make it larger. The dashboard shows the "
              + "free space under 'Operations'; `vigia doctor` gives the details."),
      AlertMessage.DISK_FULL, new Words("disk full",
          "The disk of Vigía's data dir is full: sessions, the journal and the stats cannot be "
              + "written and Vigía is not ready (/health/ready). Existing files stay intact.",
          "Free space on that disk now. Vigía resumes its writes by itself once there is room; "
              + "check with `vigia doctor`."),
      AlertMessage.RECOVERED, new Words("server recovered",
          "The disk of the data dir has enough free space again.",
          "Nothing needs to be done."));

  private static final Map<String, Words> ES = Map.of(
      AlertMessage.CONFLICT, new Words("conflicto de sesión",
          "Otro WhatsApp Web o WhatsApp Desktop está usando este número y WhatsApp desconectó a "
              + "Vigía. Vigía no reintenta solo: los dos clientes se expulsarían uno al otro sin fin.",
          "En el panel de Vigía elija «Tomar el control» (take over) si Vigía debe usar este "
              + "número, o «Limpiar» (clear) para vincularlo de nuevo con un QR. Si nadie "
              + "necesita la otra sesión de WhatsApp Web/Desktop, ciérrela antes."),
      AlertMessage.LOGGED_OUT, new Words("sesión cerrada en el teléfono",
          "El teléfono o WhatsApp quitó este dispositivo vinculado. Las credenciales se "
              + "archivaron (no se borraron).",
          "En el panel de Vigía pulse «Conectar» y escanee el nuevo código QR con el teléfono "
              + "(WhatsApp > Dispositivos vinculados > Vincular un dispositivo)."),
      AlertMessage.BANNED, new Words("cuenta restringida por WhatsApp",
          "WhatsApp restringió la cuenta de este número. Vigía no reintenta: nada automático "
              + "lo resuelve.",
          "Abra WhatsApp en el teléfono, revise el aviso y siga las instrucciones de WhatsApp "
              + "(por ejemplo, solicitar una revisión). No vuelva a conectar hasta que la cuenta "
              + "esté habilitada."),
      AlertMessage.OUTDATED, new Words("cliente de WhatsApp desactualizado",
          "WhatsApp rechaza la versión del motor que usa Vigía por ser antigua; la sesión quedó "
              + "en FAILED.",
          "Actualice el motor de WhatsApp de Vigía (la versión de Baileys), reinicie Vigía y "
              + "pulse «Conectar» en el panel."),
      AlertMessage.BREAKER_OPEN, new Words("demasiadas desconexiones",
          "La conexión falló demasiadas veces en poco tiempo y Vigía dejó de reintentar "
              + "(sesión en FAILED) para no empeorar las cosas.",
          "Compruebe la red del servidor y el estado de WhatsApp; cuando esté resuelto, pulse "
              + "«Conectar» en el panel. Si vuelve a pasar, use «Limpiar» y vincule de nuevo."),
      AlertMessage.BAD_SESSION, new Words("sesión dañada",
          "WhatsApp rechazó la sesión guardada varias veces seguidas (Bad Session): parece "
              + "dañada y Vigía dejó de reintentar.",
          "En el panel de Vigía use «Limpiar» (las credenciales se archivan, no se borran) y "
              + "vincule de nuevo escaneando el QR."),
      AlertMessage.DECRYPT_DEGRADED, new Words("mensajes que no se pueden descifrar",
          "Muchos mensajes de distintos contactos no se pueden descifrar (Bad MAC / sin sesión). "
              + "La conexión sigue activa, pero la salud está «degradada».",
          "Si continúa, use «Limpiar» en el panel y vincule de nuevo con un QR. Los fallos de "
              + "un solo contacto se reparan solos."),
      AlertMessage.ARCHIVE_FAILED, new Words("no se pudieron archivar las credenciales",
          "WhatsApp cerró la sesión (401) y Vigía no pudo archivar las credenciales guardadas; la "
              + "sesión quedó en FAILED y no se reconecta sola.",
          "En el panel de Vigía use «Limpiar» (clear) para archivar la sesión y vincule de nuevo "
              + "con un QR. Si «Limpiar» falla, revise el espacio y los permisos del directorio de "
              + "datos."),
      AlertMessage.RECOVERED, new Words("sesión recuperada",
          "La sesión volvió a conectarse; las alertas anteriores de esta organización quedan "
              + "resueltas.",
          "No hace falta hacer nada."));

  private static final Map<String, Words> EN = Map.of(
      AlertMessage.CONFLICT, new Words("session conflict",
          "Another WhatsApp Web or WhatsApp Desktop is using this number and WhatsApp "
              + "disconnected Vigía. Vigía does not retry by itself: the two clients would evict "
              + "each other forever.",
          "In the Vigía dashboard choose 'take over' if Vigía should use this number, or "
              + "'clear' to link it again with a QR. If nobody needs the other WhatsApp "
              + "Web/Desktop session, close it first."),
      AlertMessage.LOGGED_OUT, new Words("logged out from the phone",
          "The phone or WhatsApp removed this linked device. The credentials were archived "
              + "(not deleted).",
          "In the Vigía dashboard press 'Connect' and scan the new QR code with the phone "
              + "(WhatsApp > Linked devices > Link a device)."),
      AlertMessage.BANNED, new Words("account restricted by WhatsApp",
          "WhatsApp restricted this number's account. Vigía does not retry: nothing automatic "
              + "helps.",
          "Open WhatsApp on the phone, read the notice and follow WhatsApp's instructions (for "
              + "example, request a review). Do not connect again until the account is allowed."),
      AlertMessage.OUTDATED, new Words("WhatsApp client outdated",
          "WhatsApp rejects the engine version Vigía uses as too old; the session is FAILED.",
          "Upgrade Vigía's WhatsApp engine (the Baileys version), restart Vigía and press "
              + "'Connect' in the dashboard."),
      AlertMessage.BREAKER_OPEN, new Words("too many disconnections",
          "The connection failed too many times in a short while and Vigía stopped retrying "
              + "(session FAILED) so as not to make things worse.",
          "Check the server's network and WhatsApp's status; once that is fixed, press "
              + "'Connect' in the dashboard. If it happens again, use 'clear' and link again."),
      AlertMessage.BAD_SESSION, new Words("corrupt session",
          "WhatsApp rejected the stored session several times in a row (Bad Session): it looks "
              + "corrupt and Vigía stopped retrying.",
          "In the Vigía dashboard use 'clear' (the credentials are archived, not deleted) and "
              + "link again by scanning the QR."),
      AlertMessage.DECRYPT_DEGRADED, new Words("messages that cannot be decrypted",
          "Many messages from different contacts cannot be decrypted (Bad MAC / no session). "
              + "The connection is still up, but health is 'degraded'.",
          "If it goes on, use 'clear' in the dashboard and link again with a QR. Failures of a "
              + "single contact are repaired automatically."),
      AlertMessage.ARCHIVE_FAILED, new Words("credentials could not be archived",
          "WhatsApp logged the session out (401) and Vigía could not archive the stored "
              + "credentials; the session is FAILED and is not reconnected automatically.",
          "In the Vigía dashboard use 'clear' to archive the session and link it again with a "
              + "QR. If 'clear' fails, check the free space and permissions of the data "
              + "directory."),
      AlertMessage.RECOVERED, new Words("session recovered",
          "The session is connected again; this organization's earlier alerts are resolved.",
          "Nothing needs to be done."));

  // plain words for Cause.reason, beside WhatsApp's code and message
  private static final Map<String, String[]> CAUSES = Map.ofEntries(
      Map.entry(Cause.RESTART_REQUIRED, new String[] {
          "WhatsApp pidió una conexión nueva (normal tras escanear)",
          "WhatsApp asked for a fresh connection (normal after a scan)"}),
      Map.entry(Cause.CONNECTION_CLOSED, new String[] {
          "el servidor cerró la conexión", "the server closed the connection"}),
      Map.entry(Cause.CONNECTION_LOST, new String[] {
          "se perdió la conexión", "the connection was lost"}),
      Map.entry(Cause.UNAVAILABLE, new String[] {
          "el servicio de WhatsApp no está disponible", "WhatsApp's service is unavailable"}),
      Map.entry(Cause.NETWORK_DOWN, new String[] {
          "la red del servidor no funciona", "the server's network is down"}),
      Map.entry(Cause.NETWORK_UP, new String[] {
          "la red del servidor volvió", "the server's network is back"}),
      Map.entry(Cause.BAD_SESSION, new String[] {
          "WhatsApp rechazó la sesión guardada", "WhatsApp rejected the stored session"}),
      Map.entry(Cause.CONFLICT, new String[] {
          "otro cliente usa las mismas credenciales", "another client uses the same credentials"}),
      Map.entry(Cause.LOGGED_OUT, new String[] {
          "el dispositivo fue desvinculado", "the device was unlinked"}),
      Map.entry(Cause.BANNED, new String[] {
          "la cuenta está restringida", "the account is restricted"}),
      Map.entry(Cause.OUTDATED, new String[] {
          "el cliente es demasiado antiguo", "the client is too old"}),
      Map.entry(Cause.QR_EXPIRED, new String[] {
          "nadie escaneó los códigos QR a tiempo", "nobody scanned the QR codes in time"}),
      Map.entry(Cause.BAD_MAC, new String[] {
          "no se pudo descifrar un mensaje", "a message could not be decrypted"}),
      Map.entry(Cause.SCANNED, new String[] {
          "se escaneó el código QR", "the QR code was scanned"}),
      Map.entry(Cause.USER_REQUEST, new String[] {
          "una persona lo pidió", "a person asked for it"}),
      Map.entry(Cause.RESTORED, new String[] {
          "la sesión se restauró", "the session was restored"}),
      Map.entry(Cause.ENGINE_UNAVAILABLE, new String[] {
          "el motor de WhatsApp no está disponible", "the WhatsApp engine is not available"}),
      Map.entry(Cause.CREDS_WRITE_FAILED, new String[] {
          "no se pudieron guardar las credenciales", "the credentials could not be saved"}),
      Map.entry(Cause.ARCHIVE_FAILED, new String[] {
          "no se pudieron archivar las credenciales", "the credentials could not be archived"}),
      Map.entry(Cause.ENGINE_RESTART, new String[] {
          "se reinició el motor de WhatsApp", "the WhatsApp engine was restarted"}));

  private AlertTexts() {}

  /** The alert in {@code language} ({@code es} or {@code en}; anything else reads as {@code es}). */
  public static Text render(AlertMessage alert, String language) {
    boolean en = AlertRecipients.ENGLISH.equals(AlertRecipients.languageOf(language));
    Map<String, Words> server = en ? SERVER_EN : SERVER_ES;
    Map<String, Words> vocabulary = alert.aboutServer() ? server : (en ? EN : ES);
    Words words = vocabulary.getOrDefault(alert.kind(),
        server.getOrDefault(alert.kind(), unknown(alert.kind(), en)));
    Cause cause = alert.cause();
    String code = cause == null || cause.code() == null ? "" : " (" + cause.code() + ")";
    String about = alert.aboutServer() ? (en ? "Server" : "Servidor")
        : (en ? "Organization " : "Organización ") + alert.org();
    String subject = "[Vigía] " + about + ": " + words.title() + code;

    StringBuilder body = new StringBuilder();
    if (alert.aboutServer()) {
      line(body, en ? "About" : "Sobre", en ? "the Vigía server (all organizations)"
          : "el servidor de Vigía (todas las organizaciones)");
    } else {
      line(body, en ? "Organization" : "Organización", alert.org());
    }
    line(body, en ? "Alert" : "Alerta", words.title() + " [" + alert.kind() + "], "
        + (en ? "severity " : "gravedad ") + severity(alert.severity(), en));
    line(body, en ? "When" : "Cuándo", alert.at().toString());
    if (cause != null) {
      line(body, en ? "Cause" : "Causa", causeLine(cause, en));
    }
    if (alert.detail() != null && !alert.detail().isBlank()) {
      line(body, en ? "Detail" : "Detalle", alert.detail());
    }
    body.append('\n').append(en ? "What happened: " : "Qué pasó: ").append(words.what())
        .append("\n\n").append(en ? "What to do: " : "Qué hacer: ").append(words.todo())
        .append("\n\n-- \nVigía\n");
    return new Text(subject, body.toString());
  }

  /** {@code 440 conflict (Stream Errored (conflict)): another client uses the same credentials}. */
  static String causeLine(Cause cause, boolean en) {
    StringBuilder s = new StringBuilder();
    s.append(cause.code() == null ? (en ? "no code" : "sin código") : cause.code().toString());
    if (cause.reason() != null) {
      s.append(' ').append(cause.reason());
    }
    if (cause.message() != null && !cause.message().isBlank()) {
      s.append(" (").append(cause.message()).append(')');
    }
    String[] plain = cause.reason() == null ? null : CAUSES.get(cause.reason());
    if (plain != null) {
      s.append(": ").append(plain[en ? 1 : 0]);
    }
    return s.toString();
  }

  private static Words unknown(String kind, boolean en) {
    return en
        ? new Words("session problem (" + kind + ")",
            "Vigía found a problem with this organization's WhatsApp session.",
            "Look at the session and its journal in the Vigía dashboard.")
        : new Words("problema en la sesión (" + kind + ")",
            "Vigía detectó un problema con la sesión de WhatsApp de esta organización.",
            "Revise la sesión y su diario en el panel de Vigía.");
  }

  private static String severity(String severity, boolean en) {
    return switch (severity) {
      case AlertMessage.CRITICAL -> en ? "critical" : "crítica";
      case AlertMessage.WARNING -> en ? "warning" : "advertencia";
      default -> en ? "info" : "información";
    };
  }

  private static void line(StringBuilder body, String label, String value) {
    body.append(label).append(": ").append(value).append('\n');
  }
}
