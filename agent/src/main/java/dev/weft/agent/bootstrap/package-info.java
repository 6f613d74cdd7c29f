/**
 * What woven code calls. Every class the advice inlined into app and JDK classes refers to lives
 * here; the agent jar sits on the bootstrap class path, so these are visible from any class
 * loader. Nothing here may throw into the app.
 */
package dev.weft.agent.bootstrap;
