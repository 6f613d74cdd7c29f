package dev.weft.bench

import dev.weft.Traced
import io.opentelemetry.instrumentation.annotations.WithSpan

/** Kotlin suspend functions that return without suspending, traced by whichever agent is attached. */
object Suspending {
  @Traced
  @WithSpan
  suspend fun traced(attempt: Int, bugId: String): Int = attempt + bugId.length

  suspend fun untraced(attempt: Int, bugId: String): Int = attempt + bugId.length
}
