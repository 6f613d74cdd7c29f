package dev.weft.it.springai;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot app that asks a model through Spring AI's ChatClient over Spring AI's OpenAI
 * model, configured only by Spring AI's own properties. Start it with {@code --server.port=0
 * --spring.ai.openai.base-url=URL --spring.ai.openai.api-key=KEY}; it prints
 * {@code listening on PORT} once it serves.
 */
@SpringBootApplication
public class SpringAiApp {
  public static void main(String[] args) {
    SpringApplication.run(SpringAiApp.class, args);
  }

  /** With {@code --server.port=0}, how a caller learns the port. */
  @Bean
  ApplicationListener<ApplicationReadyEvent> printPort() {
    return event -> System.out.println("listening on " + event.getApplicationContext().getEnvironment()
        .getProperty("local.server.port"));
  }
}
