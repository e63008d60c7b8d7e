package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/aksguard/aksguard/internal/cli"
)

const (
	// childEnv marks the child copy that does the work.
	childEnv = "AKSGUARD_CHILD"
	// noSuperviseEnv, when set, makes aksguard do the work in the process
	// started (no child, and a crash then exits 2 as the Go runtime does).
	noSuperviseEnv = "AKSGUARD_NO_SUPERVISE"
	// childBase is added to the child's exit code: the Go runtime exits 2
	// when it crashes, so an intentional exit has to be told apart by a code
	// the runtime never uses.
	childBase = 100
	// childMax bounds the codes an intentional exit can have.
	childMax = childBase + 100
)

// crashMessage is printed when the child died without an intentional exit.
const crashMessage = "aksguard: internal error: %s. This is a bug in aksguard, not a problem with your input: " +
	"please report it at https://github.com/aksguard/aksguard/issues with the command and, if you can, the input (exit %d)\n"

// supervise runs this executable again as a child that does the work, with
// the same arguments, standard streams and environment (plus childEnv),
// forwards interrupt and terminate signals to it, and returns the exit code
// to exit with. ok is false when no child could be started.
func supervise(args []string) (code int, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	cmd := exec.Command(exe, args...)
	cmd.Args[0] = os.Args[0] // the name it was run as (kubectl-aksguard for kubectl), not the resolved path
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), childEnv+"=1")
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 0, false
	}
	done := make(chan struct{})
	signalled := make(chan bool)
	go func() {
		got := false
		for {
			select {
			case s := <-sigs:
				got = true
				// On Windows an interrupt cannot be sent; the console
				// delivers Ctrl-C to the child itself.
				_ = cmd.Process.Signal(s)
			case <-done:
				signalled <- got
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	return exitCode(cmd.ProcessState, err, <-signalled), true
}

// exitCode maps how the child ended to the exit code of aksguard, printing
// the internal-error message when it crashed.
func exitCode(ps *os.ProcessState, waitErr error, signalled bool) int {
	var ee *exec.ExitError
	if ps == nil || (waitErr != nil && !errors.As(waitErr, &ee)) {
		fmt.Fprintf(os.Stderr, crashMessage, fmt.Sprintf("waiting for the scan process: %v", waitErr), cli.ExitInternal)
		return cli.ExitInternal
	}
	c := ps.ExitCode()
	switch {
	case c >= childBase && c < childMax:
		return c - childBase
	case signalled:
		// Stopped by the interrupt or termination the user sent: the
		// shell's convention for an interrupted command.
		return 130
	case c == -1:
		fmt.Fprintf(os.Stderr, crashMessage, "the scan process was killed ("+ps.String()+"; out of memory?)", cli.ExitInternal)
	default:
		fmt.Fprintf(os.Stderr, crashMessage, fmt.Sprintf("the scan process crashed with exit status %d (the Go runtime's message is above)", c), cli.ExitInternal)
	}
	return cli.ExitInternal
}
