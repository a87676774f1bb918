package dev.tailboard.store;

/**
 * How many annotations ({@code ::error}, {@code ::warning}, {@code ::notice} workflow commands) a
 * build's log holds, by level; always present in a build summary, zeros when there are none.
 */
public record AnnotationCounts(int error, int warning, int notice) {

  public static final AnnotationCounts NONE = new AnnotationCounts(0, 0, 0);

  public int total() {
    return error + warning + notice;
  }

  /** These counts with one more annotation of {@code level} ({@link Annotation#LEVELS}). */
  public AnnotationCounts plus(String level) {
    return switch (level) {
      case Annotation.ERROR -> new AnnotationCounts(error + 1, warning, notice);
      case Annotation.WARNING -> new AnnotationCounts(error, warning + 1, notice);
      case Annotation.NOTICE -> new AnnotationCounts(error, warning, notice + 1);
      default -> throw new IllegalArgumentException("no annotation level " + level);
    };
  }
}
