package dev.tailboard.config;

import java.util.Locale;

/**
 * Every configuration key Tailboard reads, with its default. The key {@code a.b} is read from the
 * system property {@code tailboard.a.b}, else the environment variable {@code TAILBOARD_A_B}, else
 * the servlet context init-param {@code tailboard.a.b}, else the default here.
 */
public enum Setting {
  DATA_DIR("dataDir", "${user.home}/.tailboard"),
  DB_URL("db.url", ""),
  DB_USER("db.user", "sa"),
  DB_PASSWORD("db.password", ""),
  DB_POOL_SIZE("db.poolSize", "10"),
  SECRET("secret", ""),
  AUTH_ANONYMOUS_READ("auth.anonymousRead", "true"),
  AUTH_ANONYMOUS_ROOMS("auth.anonymousRooms", "false"),
  AUTH_ALLOW_QUERY_TOKEN("auth.allowQueryToken", "false"),
  ALLOWED_ORIGINS("allowedOrigins", ""),
  SSE_HEARTBEAT_SECONDS("sse.heartbeatSeconds", "15"),
  SSE_MAX_SHARED_STREAMS("sse.maxSharedStreams", "50"),
  SSE_RETRY_MILLIS("sse.retryMillis", "3000"),
  SSE_QUEUE_EVENTS("sse.queueEvents", "256"),
  SSE_QUEUE_BYTES("sse.queueBytes", "4194304"),
  SSE_WRITER_THREADS("sse.writerThreads", "8"),
  SSE_REPLAY_THREADS("sse.replayThreads", "2"),
  SSE_WRITE_TIMEOUT_SECONDS("sse.writeTimeoutSeconds", "10"),
  SSE_REPLAY_PAGE("sse.replayPage", "500"),
  SSE_REPLAY_PAGE_BYTES("sse.replayPageBytes", "65536"),
  SSE_OUTPUT_BYTES("sse.outputBytes", "65536"),
  POLL_MAX_EVENTS("poll.maxEvents", "1000"),
  POLL_MAX_BYTES("poll.maxBytes", "1048576"),
  LIMITS_CONNECTIONS_PER_CLIENT("limits.connectionsPerClient", "1000"),
  TRUSTED_PROXIES("trustedProxies", ""),
  WS_PING_SECONDS("ws.pingSeconds", "30"),
  WS_MAX_MESSAGE_BYTES("ws.maxMessageBytes", "65536"),
  WS_MAX_MESSAGES_PER_SECOND("ws.maxMessagesPerSecond", "50"),
  WS_QUEUE_FRAMES("ws.queueFrames", "1024"),
  WS_QUEUE_BYTES("ws.queueBytes", "4194304"),
  WS_WRITE_QUEUE("ws.writeQueue", "10000"),
  WS_WRITE_TIMEOUT_SECONDS("ws.writeTimeoutSeconds", "10"),
  ROOMS_MAX_DOC_CHARS("rooms.maxDocChars", "262144"),
  ROOMS_MAX_STORED_MESSAGES("rooms.maxStoredMessages", "10000"),
  ROOMS_MAX_PER_CLIENT("rooms.maxPerClient", "20"),
  LOG_MAX_LINE_BYTES("log.maxLineBytes", "65536"),
  LOG_MAX_LINES_PER_BUILD("log.maxLinesPerBuild", "5000000"),
  LOG_MAX_BYTES_PER_BUILD("log.maxBytesPerBuild", "1073741824"),
  LOG_MAX_CHUNK_LINES("log.maxChunkLines", "10000"),
  LOG_MAX_BODY_BYTES("log.maxBodyBytes", "16777216"),
  LOG_STREAM_IDLE_SECONDS("log.streamIdleSeconds", "1800"),
  LOG_READ_PAGE_BYTES("log.readPageBytes", "1048576"),
  BUILDS_MAX_STEPS("builds.maxSteps", "1000"),
  BUILDS_MAX_NAME_CHARS("builds.maxNameChars", "200"),
  SEARCH_MAX_MATCHES("search.maxMatches", "1000"),
  SEARCH_MAX_QUERY_CHARS("search.maxQueryChars", "200"),
  SEARCH_MAX_SCAN_LINES("search.maxScanLines", "1000000"),
  SEARCH_BUDGET_MILLIS("search.budgetMillis", "2000"),
  SEARCH_MAX_CONCURRENT("search.maxConcurrent", "4"),
  DIFF_MAX_LINES("diff.maxLines", "200000"),
  DIFF_MAX_RESULTS("diff.maxResults", "1000"),
  RETENTION_DAYS("retention.days", "90"),
  RETENTION_INTERVAL_SECONDS("retention.intervalSeconds", "3600"),
  RETENTION_BATCH_SIZE("retention.batchSize", "100"),
  MASKS_FILE("masks.file", ""),
  MASKS_MAX_PER_BUILD("masks.maxPerBuild", "1000"),
  MASKS_MAX_VALUE_CHARS("masks.maxValueChars", "4096"),
  MASKS_CACHED_BUILDS("masks.cachedBuilds", "1000"),
  PUBLIC_URL("publicUrl", "");

  private final String key;
  private final String defaultValue;

  Setting(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  /** The dotted key, e.g. {@code sse.retryMillis}. */
  public String key() {
    return key;
  }

  /** The system property and init-param name, e.g. {@code tailboard.sse.retryMillis}. */
  public String propertyName() {
    return "tailboard." + key;
  }

  /** The environment variable name, e.g. {@code TAILBOARD_SSE_RETRYMILLIS}. */
  public String environmentName() {
    return "TAILBOARD_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  public String defaultValue() {
    return defaultValue;
  }
}
