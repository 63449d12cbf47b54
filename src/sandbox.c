/*
 * sandbox: PR_SET_NO_NEW_PRIVS and a seccomp-bpf allow-list on Linux.
 *
 * Raw BPF through <linux/seccomp.h> and <linux/filter.h> rather than
 * libseccomp: the filter is one short list checked in order, the kernel
 * headers are all it needs, and a library dependency would buy nothing
 * but the building of that list.
 *
 * Unknown system calls fail with EPERM (SECCOMP_RET_ERRNO) rather than
 * killing the process: code that is compromised gains nothing either way,
 * but a call nobody foresaw (a new libc using a new system call) becomes
 * an error message and exit status 1 through the normal error paths, never
 * a silent SIGSYS and a half-written output.  A call from another ABI
 * (32-bit or x32 calls on x86-64), which could dodge the list by number,
 * kills the process.
 */
#include "config.h"

#include "sandbox.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#if defined(HAVE_LINUX_SECCOMP_H) && defined(HAVE_LINUX_FILTER_H) && \
    defined(HAVE_LINUX_AUDIT_H) && defined(HAVE_SYS_PRCTL_H)
#include <fcntl.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* The system-call ABI the filter is written for; 0 where it does not know
 * the CPU (then only NO_NEW_PRIVS is set). */
#if defined(__x86_64__) && !defined(__ILP32__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define SANDBOX_ARCH AUDIT_ARCH_I386
#elif defined(__riscv) && __riscv_xlen == 64
#define SANDBOX_ARCH AUDIT_ARCH_RISCV64
#else
#define SANDBOX_ARCH 0
#endif

/* The low 32 bits of system-call argument i in struct seccomp_data. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SANDBOX_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#else
#define SANDBOX_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#endif

/* x32 calls on x86-64 carry this bit in their number. */
#define SANDBOX_X32_BIT 0x40000000u

/* Flags of an open that could write, create or truncate. */
#define SANDBOX_OPEN_WRITES (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)

/* What the filter may do, whatever the options. */
static const int sandbox_allowed[] = {
	/* the descriptors already open: input, output, stderr */
	SYS_read, SYS_write, SYS_writev, SYS_close, SYS_lseek,
#ifdef SYS_poll
	SYS_poll,	/* idle flush: is more input ready? */
#endif
	SYS_ppoll,
#ifdef SYS_fstat
	SYS_fstat,	/* is an input a regular file? */
#endif
#ifdef SYS_fstat64
	SYS_fstat64,
#endif
#ifdef SYS_newfstatat
	SYS_newfstatat,	/* glibc's fstat() */
#endif
#ifdef SYS_fstatat64
	SYS_fstatat64,
#endif
#ifdef SYS__llseek
	SYS__llseek,
#endif
	/* memory: malloc, and libsodium's guarded, locked key memory */
	SYS_brk, SYS_mmap, SYS_munmap, SYS_mremap, SYS_mprotect, SYS_madvise,
	SYS_mlock, SYS_munlock,
#ifdef SYS_mmap2
	SYS_mmap2,
#endif
	/* signals and time: SIGHUP/SIGTERM handling, the clock for timestamps */
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_restart_syscall,
	SYS_clock_gettime, SYS_gettimeofday,
#ifdef SYS_sigreturn
	SYS_sigreturn,
#endif
	/* libsodium's random numbers (a run without a key file, key epochs) */
	SYS_getrandom,
	SYS_exit, SYS_exit_group,
#ifdef SANITIZED_BUILD
	/* sanitizer and fuzzing builds only: what the ASan, LeakSanitizer and
	 * UBSan runtimes need for their reports (LeakSanitizer stops the world
	 * from a traced clone at exit).  Never in a normal build. */
	SYS_openat, SYS_getdents64, SYS_readlinkat, SYS_clone, SYS_ptrace,
	SYS_wait4, SYS_prctl, SYS_sched_yield, SYS_getpid, SYS_gettid,
	SYS_tgkill, SYS_sigaltstack, SYS_futex, SYS_mincore, SYS_prlimit64,
	SYS_pipe2, SYS_dup3, SYS_getppid,
#ifdef SYS_open
	SYS_open, SYS_getdents, SYS_readlink,	/* the old calls, where they exist */
#endif
#endif
};

/* What -i, -o (reopened on SIGHUP) and --key-dir need besides: creating,
 * renaming and removing files (temporary files, keys), their owner and
 * mode, fsync, and reading the key directory. */
static const int sandbox_allowed_files[] = {
	SYS_openat, SYS_unlinkat, SYS_linkat, SYS_mkdirat,
	SYS_fchmod, SYS_fchown, SYS_fsync, SYS_fdatasync, SYS_ftruncate,
	SYS_fcntl, SYS_dup, SYS_dup3, SYS_getdents64, SYS_getpid, SYS_umask,
#ifdef SYS_unlink
	SYS_unlink, SYS_rename, SYS_link, SYS_mkdir, SYS_dup2, SYS_lstat, SYS_stat,
#endif
#ifdef SYS_renameat
	SYS_renameat,
#endif
#ifdef SYS_renameat2
	SYS_renameat2,
#endif
};

/* Number of entries of sandbox_allowed and sandbox_allowed_files. */
#define SANDBOX_NFILES (sizeof sandbox_allowed_files / sizeof sandbox_allowed_files[0])
#define SANDBOX_NALLOWED (sizeof sandbox_allowed / sizeof sandbox_allowed[0])
/* The filter's largest size in instructions: the ABI checks (6), two per
 * allowed call, the read-only open and getdents64 (6), the default (1). */
#define SANDBOX_PROG_MAX (6 + 2 * (SANDBOX_NALLOWED + SANDBOX_NFILES) + 6 + 1)

/*
 * True when the run may still read files after sandbox_enter(): the
 * inputs named on the command line, opened one after the other (opening
 * them all first could run out of descriptors on a long list), the key
 * file reread on SIGHUP, the keys of --key-dir read when first needed,
 * the --geo databases reopened on SIGHUP, the --rules files and
 * directories read again on SIGHUP.  A module that loads a file later adds
 * its option here.  Whatever a library opens on first use (tzset()
 * reads /etc/localtime) must be done before sandbox_enter().
 */
static bool
sandbox_reads_later(const struct options *opt)
{
	return opt->nfiles > 0 || opt->key_file != NULL || opt->key_dir != NULL ||
	    opt->geo.fields != 0 || opt->nrules > 0;
}

/* True when the run must create or write files after sandbox_enter():
 * -i (a temporary file renamed over each input), -o (reopened, and made
 * if gone, on SIGHUP), --key-dir (a key made for each new epoch). */
static bool
sandbox_writes_files(const struct options *opt)
{
	return opt->in_place || opt->output != NULL || opt->key_dir != NULL;
}

/* Append to prog the instructions that allow the n calls of list. */
static unsigned short
sandbox_allow(struct sock_filter *prog, unsigned short at, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		prog[at++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)list[i], 0, 1);
		prog[at++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	}
	return at;
}

/* Append the BPF program for opt to prog; returns its length. */
static unsigned short
sandbox_program(const struct options *opt, struct sock_filter *prog)
{
	unsigned short n = 0;

	/* another ABI than the one of this list: kill */
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	if (SANDBOX_ARCH == AUDIT_ARCH_X86_64) {
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SANDBOX_X32_BIT, 0, 1);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	}
	n = sandbox_allow(prog, n, sandbox_allowed, SANDBOX_NALLOWED);
	if (sandbox_writes_files(opt)) {
		n = sandbox_allow(prog, n, sandbox_allowed_files, SANDBOX_NFILES);
	} else if (sandbox_reads_later(opt)) {
		/* openat(dirfd, path, flags, mode) with flags that only read */
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 3);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SANDBOX_ARG_LO(2));
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, SANDBOX_OPEN_WRITES, 1, 0);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		/* and the entries of a --rules directory */
		n = sandbox_allow(prog, n, (const int[]){ SYS_getdents64 }, 1);
	}
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	return n;
}

/*
 * Enter the sandbox for the run opt describes (nothing with --no-sandbox).
 * Returns 0, or -1 with a message in err when the kernel refuses; a
 * kernel built without seccomp is no error (NO_NEW_PRIVS alone then).
 */
int
sandbox_enter(const struct options *opt, char err[SANDBOX_ERRLEN])
{
	struct sock_filter prog[SANDBOX_PROG_MAX];
	struct sock_fprog fprog = { .filter = prog };

	if (opt->no_sandbox)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, SANDBOX_ERRLEN, "cannot set no_new_privs: %s (--no-sandbox runs without)", strerror(errno));
		return -1;
	}
	if (SANDBOX_ARCH == 0)
		return 0;
	fprog.len = sandbox_program(opt, prog);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0 && errno != EINVAL) {
		snprintf(err, SANDBOX_ERRLEN, "cannot enter the seccomp sandbox: %s (--no-sandbox runs without)",
		    strerror(errno));
		return -1;
	}
	return 0;
}

#else

/* No sandbox on this platform. */
int
sandbox_enter(const struct options *opt, char err[SANDBOX_ERRLEN])
{
	(void)opt, (void)err;
	return 0;
}

#endif
