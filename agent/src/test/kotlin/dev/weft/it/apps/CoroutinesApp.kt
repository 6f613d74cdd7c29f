package dev.weft.it.apps

import dev.weft.Traced
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * Traced suspend functions: each is one call from its first invocation to its return or throw,
 * however often it suspends, and what it starts (launch, async, withContext) on any dispatcher
 * nests under the call that started it. An object, so ops read `CoroutinesApp.fetch`. Prints one
 * line per scenario.
 */
object CoroutinesApp {

  /** Every scenario, inside one non-suspending traced call. */
  @Traced
  fun run(): String = runBlocking {
    println("fetch: " + fetch(10))
    println("poll: " + poll(3))
    println("fanOut: " + fanOut(3))
    println("onDefault: " + onDefault(7))
    val failed = try {
      failing("down")
    } catch (e: IllegalStateException) {
      "caught " + e.message
    }
    println("failing: $failed")
    println("quick: " + quick(41))
    launch(Dispatchers.IO) { println("launched: " + fetch(20)) }.join()
    "run: done"
  }

  @Traced
  suspend fun fetch(id: Int): String {
    delay(100)
    return "item-$id"
  }

  /** Suspends [times] times, resuming each time. */
  @Traced
  suspend fun poll(times: Int): Int {
    repeat(times) { delay(20) }
    return times
  }

  @Traced
  suspend fun fanOut(n: Int): List<String> = coroutineScope {
    (1..n).map { async { fetch(it) } }.awaitAll()
  }

  @Traced
  suspend fun onDefault(x: Int): Int = withContext(Dispatchers.Default) { compute(x) }

  @Traced
  fun compute(x: Int): Int = x * x

  @Traced
  suspend fun failing(why: String): String {
    delay(50)
    throw IllegalStateException("fetch failed: $why")
  }

  /** A suspend function that never suspends. */
  @Traced
  suspend fun quick(x: Int): Int = x + 1

  @Traced
  suspend fun rootWork(label: String): String {
    delay(10)
    return "root-$label"
  }

  @OptIn(DelicateCoroutinesApi::class)
  @JvmStatic
  fun main(args: Array<String>) {
    println(run())
    // Outside any call, on dispatcher threads the calls above used: each a root of its own.
    runBlocking {
      GlobalScope.launch(Dispatchers.Default) { println("global: " + rootWork("global")) }.join()
    }
    println("blocking: " + runBlocking { rootWork("blocking") })
  }
}
