package dev.weft.it.apps;

import dev.weft.Traced;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Traced methods returning {@code Mono} and {@code Flux}: a call lasts until its publisher's first
 * terminal signal, and what the publisher runs on a Scheduler nests under it. Arguments pick the
 * scenarios (all of them when none); each prints one line. Every wait is bounded, so a publisher
 * that never ends makes the app fail instead of hang.
 */
public class ReactorApp {
  static final Duration WAIT = Duration.ofSeconds(10);

  // delayed: Mono.delay, then a traced step on the parallel scheduler; called by a traced method.

  @Traced
  static String handle(String word) {
    return delayed(word).block(WAIT);
  }

  @Traced
  static Mono<String> delayed(String word) {
    return Mono.delay(Duration.ofMillis(100)).map(tick -> upper(word));
  }

  @Traced
  static String upper(String word) {
    return word.toUpperCase(Locale.ROOT);
  }

  // flux: five elements through delayElements and a traced map step.

  @Traced
  static Flux<Integer> squares(int n) {
    return Flux.range(1, n).delayElements(Duration.ofMillis(20)).map(ReactorApp::square);
  }

  @Traced
  static int square(int i) {
    return i * i;
  }

  // subscribeOn: blocking work on boundedElastic.

  @Traced
  static Mono<String> onElastic(String key) {
    return Mono.fromCallable(() -> lookup(key)).subscribeOn(Schedulers.boundedElastic());
  }

  @Traced
  static String lookup(String key) throws InterruptedException {
    Thread.sleep(50);
    return "value-of-" + key;
  }

  // publishOn: the map steps run on the parallel scheduler.

  @Traced
  static Flux<String> onParallel(int n) {
    return Flux.range(1, n).publishOn(Schedulers.parallel()).map(ReactorApp::render);
  }

  @Traced
  static String render(int i) {
    return "#" + i;
  }

  // failing: an error after a delay; the app still gets it.

  @Traced
  static Mono<String> failing(String why) {
    return Mono.delay(Duration.ofMillis(50)).flatMap(tick -> Mono.error(new IllegalStateException("upstream " + why)));
  }

  // take: an endless traced Flux, cancelled by take(2) after two ticks.

  @Traced
  static Flux<Long> ticks() {
    return Flux.interval(Duration.ofMillis(30)).map(ReactorApp::tick);
  }

  @Traced
  static long tick(long i) {
    return i;
  }

  // dispose: a subscription disposed long before the Mono would emit.

  @Traced
  static Mono<String> slow(String q) {
    return Mono.delay(Duration.ofSeconds(30)).map(tick -> q);
  }

  // never: a Mono nobody subscribes to.

  @Traced
  static Mono<String> neverSubscribed(String q) {
    return Mono.fromCallable(() -> q);
  }

  // twice: one invocation, two subscriptions.

  static final AtomicInteger made = new AtomicInteger();

  @Traced
  static Mono<String> twice(String q) {
    return Mono.fromCallable(() -> make(q));
  }

  @Traced
  static String make(String q) {
    return q + "#" + made.incrementAndGet();
  }

  // outside: pipelines built outside any call, on the schedulers the calls above used.

  @Traced
  static String outside(String label) {
    return label.toUpperCase(Locale.ROOT);
  }

  static void scenario(String name) throws InterruptedException {
    switch (name) {
      case "delayed":
        System.out.println("delayed: " + handle("fix"));
        break;
      case "flux":
        System.out.println("squares: " + squares(5).collectList().block(WAIT));
        break;
      case "subscribeOn":
        System.out.println("onElastic: " + onElastic("k1").block(WAIT));
        break;
      case "publishOn":
        System.out.println("onParallel: " + onParallel(3).collectList().block(WAIT));
        break;
      case "failing":
        try {
          failing("down").block(WAIT);
          System.out.println("failing: no error");
        } catch (IllegalStateException e) {
          System.out.println("failing: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        break;
      case "take":
        System.out.println("take: " + ticks().take(2).collectList().block(WAIT));
        break;
      case "dispose": {
        Disposable subscription = slow("unanswered").subscribe();
        Thread.sleep(80);
        subscription.dispose();
        System.out.println("dispose: disposed");
        break;
      }
      case "never":
        neverSubscribed("dropped");
        System.out.println("never: not subscribed");
        break;
      case "twice": {
        Mono<String> mono = twice("x");
        System.out.println("twice: " + mono.block(WAIT) + " " + mono.block(WAIT));
        break;
      }
      case "outside": {
        String delayed = Mono.delay(Duration.ofMillis(10)).map(tick -> outside("delay")).block(WAIT);
        List<String> published = Flux.just("publishOn").publishOn(Schedulers.parallel())
            .map(ReactorApp::outside).collectList().block(WAIT);
        System.out.println("outside: " + delayed + " " + published);
        break;
      }
      default:
        throw new IllegalArgumentException(name);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    List<String> names = args.length > 0 ? List.of(args)
        : List.of("delayed", "flux", "subscribeOn", "publishOn", "failing", "take", "dispose", "never", "twice", "outside");
    for (String name : names) scenario(name);
  }
}
