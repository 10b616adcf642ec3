/**
 * What {@code herald bench} and {@code herald chaos} share on the command line: how errors are
 * shown (one line and a suggestion, exit code 2), {@code --version}, and the nearest valid name for
 * a typo.
 */
package io.herald.bench.cli;
