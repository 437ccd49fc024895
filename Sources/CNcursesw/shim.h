// CNcursesw: the wide-character ncurses library, as ConvTerminal sees it.
//
// Why a shim instead of importing <ncurses.h> directly:
// - NCURSES_WIDECHAR must be 1 before the first include, or cchar_t/get_wch are missing
//   (DESIGN.md); defining it here keeps every importer consistent.
// - stdscr, COLORS, COLOR_PAIRS, LINES and COLS are mutable globals that Swift 6 refuses to read
//   (not concurrency-safe); the cnc_ accessors read them in C.
// - A_* attributes and KEY_* codes are macros Swift cannot import; the cnc_ functions return them.
// - A signal handler must only set a flag; the flag and handler live here, in C, where
//   volatile sig_atomic_t exists. The app loop polls cnc_take_signal() and ends curses.
// These wrappers could go when Swift imports function-like macros and global C state.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <ncurses.h>

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }

static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }

static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_home(void) { return KEY_HOME; }
static inline int cnc_key_end(void) { return KEY_END; }
static inline int cnc_key_npage(void) { return KEY_NPAGE; }
static inline int cnc_key_ppage(void) { return KEY_PPAGE; }
static inline int cnc_key_enter(void) { return KEY_ENTER; }
static inline int cnc_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cnc_key_dc(void) { return KEY_DC; }
static inline int cnc_key_btab(void) { return KEY_BTAB; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }

/// Starts curses on stdout/stdin without exiting on an unknown TERM (wraps newterm; stdin and
/// stdout are C globals Swift 6 will not read).
static inline SCREEN *cnc_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Sets the colour pair and attributes for the following addstr calls (wraps attr_set).
static inline int cnc_set_attr(attr_t attrs, int pair) {
  return wattr_set(stdscr, attrs, (short)pair, NULL);
}

/// Reads one key or character into *ch; returns KEY_CODE_YES, OK or ERR (wraps wget_wch).
static inline int cnc_get_wch(int *ch) {
  wint_t w = 0;
  int rc = wget_wch(stdscr, &w);
  *ch = (int)w;
  return rc;
}

static volatile sig_atomic_t cnc_pending_signal = 0;

static void cnc_on_signal(int sig) { cnc_pending_signal = sig; }

/// Installs the SIGINT/SIGTERM handlers that only record the signal (signal(2)).
static inline void cnc_install_signal_handlers(void) {
  struct sigaction sa;
  sa.sa_handler = cnc_on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/// Puts back the default handlers, after curses has ended.
static inline void cnc_restore_signal_handlers(void) {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
}

/// The signal received since the last call, or 0.
static inline int cnc_take_signal(void) {
  int s = cnc_pending_signal;
  cnc_pending_signal = 0;
  return s;
}

// A trap (a Swift runtime error is SIGILL or SIGTRAP), an abort or a segfault inside the
// playground would leave the terminal raw, in the alternate screen, with the cursor hidden:
// curses never gets to endwin. These handlers put the shell's terminal modes back (saved
// before curses starts) and leave the alternate screen with async-signal-safe calls only
// (tcsetattr, write), then restore the previous disposition (the default, or Swift's crash
// reporter) and raise the signal again, so the crash report prints on a normal screen.
// (Every variable has an initializer: Swift's importer emits a header's initialized variables
// where they are used, not its tentative definitions.)
static volatile sig_atomic_t cnc_have_shell_termios = 0;
static volatile sig_atomic_t cnc_fatal_installed = 0;
#define CNC_FATAL_COUNT 7
static struct termios cnc_shell_termios = {0};
static struct sigaction cnc_previous_fatal[CNC_FATAL_COUNT] = {{{0}}};
static const int cnc_fatal_signals[CNC_FATAL_COUNT] = {SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGQUIT};

static void cnc_on_fatal_signal(int sig) {
  if (cnc_have_shell_termios) tcsetattr(STDIN_FILENO, TCSANOW, &cnc_shell_termios);
  // Attributes off, cursor shown, keypad (application) mode off, alternate screen left.
  static const char leave[] = "\033[0m\033[?25h\033[?1l\033>\033[?1049l\r\n";
  ssize_t unused = write(STDOUT_FILENO, leave, sizeof leave - 1);
  (void)unused;
  for (int i = 0; i < CNC_FATAL_COUNT; i++) {
    if (cnc_fatal_signals[i] == sig) sigaction(sig, &cnc_previous_fatal[i], NULL);
  }
  // A fault (SIGILL, SIGSEGV...) happens again when the handler returns; a sent signal is
  // delivered again once the handler returns (it is blocked while the handler runs).
  raise(sig);
}

/// Records the terminal modes the shell left, before curses changes them.
static inline void cnc_save_shell_termios(void) {
  if (tcgetattr(STDIN_FILENO, &cnc_shell_termios) == 0) cnc_have_shell_termios = 1;
}

/// Installs the fatal-signal handlers (after curses has started).
static inline void cnc_install_fatal_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = cnc_on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_ONSTACK;
  for (int i = 0; i < CNC_FATAL_COUNT; i++) sigaction(cnc_fatal_signals[i], &sa, &cnc_previous_fatal[i]);
  cnc_fatal_installed = 1;
}

/// Puts back the handlers that were there before, after curses has ended.
static inline void cnc_restore_fatal_handlers(void) {
  if (!cnc_fatal_installed) return;
  cnc_fatal_installed = 0;
  for (int i = 0; i < CNC_FATAL_COUNT; i++) sigaction(cnc_fatal_signals[i], &cnc_previous_fatal[i], NULL);
}

/// True when the locale's character set is UTF-8 (nl_langinfo(CODESET)).
static inline int cnc_locale_is_utf8(void) {
  const char *cs = nl_langinfo(CODESET);
  if (!cs) return 0;
  return (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't') &&
         (cs[2] == 'F' || cs[2] == 'f');
}

#endif
