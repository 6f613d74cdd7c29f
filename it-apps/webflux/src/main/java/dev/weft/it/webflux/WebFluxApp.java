package dev.weft.it.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A WebFlux app whose traced controller and service methods return {@code Mono} and {@code Flux}:
 * an upstream HTTP call through WebClient, blocking work on {@code boundedElastic}, a delayed
 * stream. Start it with {@code --server.port=0 --upstream.url=http://127.0.0.1:PORT}; it prints
 * {@code listening on PORT} once it serves.
 */
@SpringBootApplication
public class WebFluxApp {
  public static void main(String[] args) {
    SpringApplication.run(WebFluxApp.class, args);
  }

  /** With {@code --server.port=0}, how a caller learns the port. */
  @Bean
  ApplicationListener<WebServerInitializedEvent> printPort() {
    return event -> System.out.println("listening on " + event.getWebServer().getPort());
  }
}
