package dev.weft;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose every invocation becomes a call in the trace: its inputs, output or
 * exception, and its timing, nested under the innermost enclosing traced call.
 *
 * <p>On a type, every public method declared in it is traced, except getters, setters,
 * {@code toString}, {@code equals}, {@code hashCode}, and synthetic and bridge methods.
 * On a constructor it has no effect (constructors are never traced).
 *
 * <p>Without the Weft agent this annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.CONSTRUCTOR})
public @interface Traced {

  /** The op name. Default: {@code SimpleClassName.method}. */
  String name() default "";

  /** Capture the arguments as the call's inputs. */
  boolean captureInputs() default true;

  /** Capture the return value as the call's output. */
  boolean captureOutput() default true;

  /** Start a new trace, even when called inside another traced call. */
  boolean root() default false;
}
