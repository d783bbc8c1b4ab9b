package io.loadchaos.datagen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns spec YAML into a {@link DatasetSpec}. Every error names the field path (e.g. {@code
 * tables[0].tags[1].distribution}) and the allowed values; unknown keys are errors, not ignored.
 */
final class SpecReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DURATION = Pattern.compile("(-?\\d+)(ns|us|ms|s|m|h|d)");
  private static final String DURATION_HELP = "a duration like 10s, 500ms, 100us, 5m, 1h, 2d";

  private SpecReader() {}

  static DatasetSpec read(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new DatasetSpecException("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    }
    if (root == null || !root.isObject()) {
      throw new DatasetSpecException("the spec must be a YAML mapping with name, precision, time, volume, tables");
    }
    keys("", root, Set.of("name", "description", "precision", "time", "volume", "tables"));
    String name = text("name", root.get("name"), null);
    String precision = text("precision", root.get("precision"), "ns");
    Precision.parse("precision", precision);
    TimeSpec time = time(root.get("time"));
    long points = -1;
    JsonNode volume = root.get("volume");
    if (volume != null && !volume.isNull()) {
      object("volume", volume);
      keys("volume", volume, Set.of("points"));
      if (volume.has("points")) {
        points = integer("volume.points", volume.get("points"), 0);
        if (points < 1) {
          throw new DatasetSpecException("volume.points must be >= 1 (got " + points + "); omit it for an unbounded run");
        }
      }
    }
    JsonNode tablesNode = root.get("tables");
    if (tablesNode == null || !tablesNode.isArray() || tablesNode.isEmpty()) {
      throw new DatasetSpecException("tables: a non-empty list of tables is required");
    }
    List<TableSpec> tables = new ArrayList<>();
    for (int i = 0; i < tablesNode.size(); i++) {
      tables.add(table("tables[" + i + "]", tablesNode.get(i)));
    }
    return DatasetSpec.of(name, precision, time, points < 0 ? null : points, tables);
  }

  private static TimeSpec time(JsonNode n) {
    if (n == null || n.isNull()) {
      throw new DatasetSpecException("time: required (at least time.start and time.interval)");
    }
    object("time", n);
    keys("time", n, Set.of("start", "interval", "span", "jitter", "out_of_order", "late", "future", "clock_offset", "one_timestamp"));
    String start = text("time.start", n.get("start"), "now-1h");
    Instant startAt = null;
    Duration startFromNow = null;
    if (start.equals("now")) {
      startFromNow = Duration.ZERO;
    } else if (start.startsWith("now-") || start.startsWith("now+")) {
      Duration d = duration("time.start", start.substring(4));
      startFromNow = start.charAt(3) == '-' ? d.negated() : d;
    } else {
      try {
        startAt = Instant.parse(start);
      } catch (DateTimeParseException e) {
        throw new DatasetSpecException("time.start: '" + start + "' is neither an ISO-8601 instant (2026-01-01T00:00:00Z) nor now, now-<duration>, now+<duration>");
      }
    }
    Duration interval = durationField("time.interval", n.get("interval"), null);
    Duration span = durationField("time.span", n.get("span"), null);
    Duration jitter = durationField("time.jitter", n.get("jitter"), Duration.ZERO);
    double oooRatio = 0;
    Duration oooWindow = Duration.ZERO;
    JsonNode ooo = n.get("out_of_order");
    if (ooo != null) {
      object("time.out_of_order", ooo);
      keys("time.out_of_order", ooo, Set.of("ratio", "window"));
      oooRatio = number("time.out_of_order.ratio", ooo.get("ratio"), 0);
      oooWindow = durationField("time.out_of_order.window", ooo.get("window"), Duration.ZERO);
    }
    double lateRatio = 0;
    Duration maxLate = Duration.ZERO;
    JsonNode late = n.get("late");
    if (late != null) {
      object("time.late", late);
      keys("time.late", late, Set.of("ratio", "max_lateness"));
      lateRatio = number("time.late.ratio", late.get("ratio"), 0);
      maxLate = durationField("time.late.max_lateness", late.get("max_lateness"), Duration.ZERO);
    }
    double futureRatio = 0;
    Duration maxAhead = Duration.ZERO;
    JsonNode future = n.get("future");
    if (future != null) {
      object("time.future", future);
      keys("time.future", future, Set.of("ratio", "max_ahead"));
      futureRatio = number("time.future.ratio", future.get("ratio"), 0);
      maxAhead = durationField("time.future.max_ahead", future.get("max_ahead"), Duration.ZERO);
    }
    Duration clock = Duration.ZERO;
    JsonNode clockNode = n.get("clock_offset");
    if (clockNode != null) {
      object("time.clock_offset", clockNode);
      keys("time.clock_offset", clockNode, Set.of("max"));
      clock = durationField("time.clock_offset.max", clockNode.get("max"), Duration.ZERO);
    }
    String one = text("time.one_timestamp", n.get("one_timestamp"), "none");
    TimeSpec.OneTimestamp oneTimestamp = enumValue("time.one_timestamp", one, TimeSpec.OneTimestamp.class, TimeSpec.OneTimestamp.ALLOWED);
    return new TimeSpec(startAt, startFromNow, interval, span, jitter, oooRatio, oooWindow, lateRatio, maxLate,
        futureRatio, maxAhead, clock, oneTimestamp);
  }

  private static TableSpec table(String path, JsonNode n) {
    object(path, n);
    keys(path, n, Set.of("name", "points_per_interval", "tags", "fields", "overwrite"));
    String name = text(path + ".name", n.get("name"), null);
    long perInterval = n.has("points_per_interval") ? integer(path + ".points_per_interval", n.get("points_per_interval"), 0) : 0;
    List<TagSpec> tags = new ArrayList<>();
    JsonNode tagsNode = n.get("tags");
    if (tagsNode != null && !tagsNode.isNull()) {
      if (!tagsNode.isArray()) {
        throw new DatasetSpecException(path + ".tags: expected a list of tags");
      }
      for (int i = 0; i < tagsNode.size(); i++) {
        tags.add(tag(path + ".tags[" + i + "]", tagsNode.get(i)));
      }
    }
    JsonNode fieldsNode = n.get("fields");
    if (fieldsNode == null || !fieldsNode.isArray() || fieldsNode.isEmpty()) {
      throw new DatasetSpecException(path + ".fields: a non-empty list of fields is required");
    }
    List<FieldSpec> fields = new ArrayList<>();
    for (int i = 0; i < fieldsNode.size(); i++) {
      fields.add(field(path + ".fields[" + i + "]", fieldsNode.get(i)));
    }
    OverwriteSpec overwrite = OverwriteSpec.NONE;
    JsonNode ow = n.get("overwrite");
    if (ow != null && !ow.isNull()) {
      String p = path + ".overwrite";
      object(p, ow);
      keys(p, ow, Set.of("ratio", "wins", "window"));
      double ratio = number(p + ".ratio", ow.get("ratio"), 0);
      var wins = enumValue(p + ".wins", text(p + ".wins", ow.get("wins"), null), OverwriteSpec.Wins.class,
          OverwriteSpec.Wins.ALLOWED);
      long window = integer(p + ".window", ow.get("window"), 10_000);
      overwrite = wrap(path, () -> new OverwriteSpec(ratio, wins, window));
    }
    OverwriteSpec overwriteSpec = overwrite;
    return wrap(path, () -> new TableSpec(name, tags, fields, perInterval, overwriteSpec));
  }

  private static TagSpec tag(String path, JsonNode n) {
    object(path, n);
    keys(path, n, Set.of("name", "cardinality", "distribution", "exponent", "prefix", "values", "shard_key"));
    String name = text(path + ".name", n.get("name"), null);
    long cardinality = n.has("cardinality") ? integer(path + ".cardinality", n.get("cardinality"), 0) : 0;
    List<String> values = stringList(path + ".values", n.get("values"));
    if (!n.has("cardinality") && values.isEmpty()) {
      throw new DatasetSpecException(path + ".cardinality: required (a count >= 1) unless values are listed");
    }
    String dist = text(path + ".distribution", n.get("distribution"), "sequential");
    Distribution distribution = enumValue(path + ".distribution", dist, Distribution.class, Distribution.ALLOWED);
    double exponent = number(path + ".exponent", n.get("exponent"), distribution == Distribution.ZIPF ? 1.0 : 0);
    String prefix = text(path + ".prefix", n.get("prefix"), "");
    boolean shardKey = bool(path + ".shard_key", n.get("shard_key"), false);
    return wrap(path, () -> new TagSpec(name, cardinality, distribution, exponent, prefix, values, shardKey));
  }

  private static FieldSpec field(String path, JsonNode n) {
    object(path, n);
    String name = text(path + ".name", n.get("name"), null);
    String typeText = text(path + ".type", n.get("type"), null);
    FieldType type = enumValue(path + ".type", typeText, FieldType.class, FieldType.ALLOWED);
    return switch (type) {
      case FLOAT -> {
        keys(path, n, Set.of("name", "type", "pattern", "min", "max", "decimals", "period"));
        var pattern = enumValue(path + ".pattern", text(path + ".pattern", n.get("pattern"), "random"),
            FieldSpec.FloatPattern.class, FieldSpec.FloatPattern.ALLOWED);
        double min = number(path + ".min", n.get("min"), 0);
        double max = number(path + ".max", n.get("max"), 100);
        int decimals = (int) integer(path + ".decimals", n.get("decimals"), 2);
        Duration period = durationField(path + ".period", n.get("period"), null);
        yield wrap(path, () -> new FieldSpec.FloatField(name, pattern, min, max, decimals, period));
      }
      case INTEGER -> {
        keys(path, n, Set.of("name", "type", "pattern", "min", "max"));
        var pattern = enumValue(path + ".pattern", text(path + ".pattern", n.get("pattern"), "random"),
            FieldSpec.IntegerPattern.class, FieldSpec.IntegerPattern.ALLOWED);
        long min = integer(path + ".min", n.get("min"), 0);
        long max = integer(path + ".max", n.get("max"), 1_000_000);
        yield wrap(path, () -> new FieldSpec.IntegerField(name, pattern, min, max));
      }
      case UNSIGNED -> {
        keys(path, n, Set.of("name", "type", "min", "max"));
        long min = integer(path + ".min", n.get("min"), 0);
        long max = integer(path + ".max", n.get("max"), 1_000_000);
        yield wrap(path, () -> new FieldSpec.UnsignedField(name, min, max));
      }
      case BOOLEAN -> {
        keys(path, n, Set.of("name", "type", "true_ratio"));
        double ratio = number(path + ".true_ratio", n.get("true_ratio"), 0.5);
        yield wrap(path, () -> new FieldSpec.BooleanField(name, ratio));
      }
      case STRING -> {
        keys(path, n, Set.of("name", "type", "values", "cardinality", "length"));
        List<String> values = stringList(path + ".values", n.get("values"));
        long cardinality = integer(path + ".cardinality", n.get("cardinality"), 100);
        int length = (int) integer(path + ".length", n.get("length"), 8);
        yield wrap(path, () -> new FieldSpec.StringField(name, values, cardinality, length));
      }
    };
  }

  /** Re-throws a record's validation error with the YAML path in front. */
  private static <T> T wrap(String path, Supplier<T> make) {
    try {
      return make.get();
    } catch (DatasetSpecException e) {
      throw new DatasetSpecException(path + ": " + e.getMessage(), e);
    }
  }

  static Duration duration(String field, String text) {
    String t = text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new DatasetSpecException(field + ": '" + text + "' is not " + DURATION_HELP);
    }
    long v = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ns" -> Duration.ofNanos(v);
      case "us" -> Duration.ofNanos(Math.multiplyExact(v, 1000L));
      case "ms" -> Duration.ofMillis(v);
      case "s" -> Duration.ofSeconds(v);
      case "m" -> Duration.ofMinutes(v);
      case "h" -> Duration.ofHours(v);
      default -> Duration.ofDays(v);
    };
  }

  private static Duration durationField(String field, JsonNode n, Duration dflt) {
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isValueNode()) {
      throw new DatasetSpecException(field + ": expected " + DURATION_HELP);
    }
    return duration(field, n.asText());
  }

  private static void object(String path, JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new DatasetSpecException(path + ": expected a mapping");
    }
  }

  private static void keys(String path, JsonNode n, Set<String> allowed) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new DatasetSpecException((path.isEmpty() ? "" : path + ".") + k + ": unknown key; allowed: "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static String text(String field, JsonNode n, String dflt) {
    if (n == null || n.isNull()) {
      if (dflt == null) {
        throw new DatasetSpecException(field + ": required");
      }
      return dflt;
    }
    if (!n.isValueNode()) {
      throw new DatasetSpecException(field + ": expected a string");
    }
    return n.asText();
  }

  private static long integer(String field, JsonNode n, long dflt) {
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new DatasetSpecException(field + ": expected a whole number (got '" + n.asText() + "')");
    }
    return n.asLong();
  }

  private static double number(String field, JsonNode n, double dflt) {
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isNumber()) {
      throw new DatasetSpecException(field + ": expected a number (got '" + n.asText() + "')");
    }
    return n.asDouble();
  }

  private static boolean bool(String field, JsonNode n, boolean dflt) {
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new DatasetSpecException(field + ": expected true or false (got '" + n.asText() + "')");
    }
    return n.asBoolean();
  }

  private static List<String> stringList(String field, JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new DatasetSpecException(field + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : n) {
      if (!v.isValueNode() || v.isNull()) {
        throw new DatasetSpecException(field + ": expected a list of strings");
      }
      out.add(v.asText());
    }
    return out;
  }

  private static <E extends Enum<E>> E enumValue(String field, String text, Class<E> type, String allowed) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new DatasetSpecException(field + ": unknown value '" + text + "'; allowed: " + allowed);
    }
  }
}
