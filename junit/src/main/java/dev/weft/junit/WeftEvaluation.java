package dev.weft.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests as a Weave Evaluation ({@link WeftExtension}). On a {@code @ParameterizedTest}
 * method, its invocations are one evaluation; on a class, all its parameterized invocations
 * are, and its plain tests become calls of the run, which logs their {@code pass_rate}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(WeftExtension.class)
public @interface WeftEvaluation {
  /** The evaluation's name; by default the class's simple name, or {@code Class.method}. */
  String name() default "";

  /** The model's name; by default the class's simple name, or the method's. */
  String model() default "";

  /** Where the rows come from, as Weave's EvaluationLogger names its dataset; by default the evaluation's default name. */
  String dataset() default "";
}
