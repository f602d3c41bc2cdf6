//! The "scanned N files" line for runs long enough to leave someone wondering whether andon hung.
//! Only on a terminal: logs and pipes never get carriage returns and escape codes.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Runs shorter than this show nothing: a flash of text is noise.
pub const DELAY: Duration = Duration::from_millis(500);

/// How often the line is redrawn once shown.
const TICK: Duration = Duration::from_millis(100);

/// Erases the current terminal line and returns to its start.
const CLEAR: &str = "\r\x1b[2K";

/// Counts files as they are read and, from a thread of its own, shows the count. Dropping it
/// stops the thread and clears the line, so the report that follows starts on a clean line.
pub struct Progress {
    count: Arc<AtomicUsize>,
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Progress on standard error when it is a terminal; a silent counter otherwise.
    pub fn on_stderr() -> Progress {
        if std::io::stderr().is_terminal() {
            Progress::start(Box::new(std::io::stderr()), DELAY)
        } else {
            Progress::silent()
        }
    }

    /// A counter that never shows anything.
    pub fn silent() -> Progress {
        Progress {
            count: Arc::default(),
            done: Arc::default(),
            thread: None,
        }
    }

    /// Shows the count on `out` once `delay` has passed without the run finishing.
    pub fn start(mut out: Box<dyn Write + Send>, delay: Duration) -> Progress {
        let count: Arc<AtomicUsize> = Arc::default();
        let done: Arc<(Mutex<bool>, Condvar)> = Arc::default();
        let (thread_count, thread_done) = (Arc::clone(&count), Arc::clone(&done));
        let thread = std::thread::spawn(move || {
            let (lock, cvar) = &*thread_done;
            let Ok(mut finished) = lock.lock() else { return };
            let mut wait = delay;
            let mut shown: Option<usize> = None;
            loop {
                finished = match cvar.wait_timeout_while(finished, wait, |f| !*f) {
                    Ok((guard, _)) => guard,
                    Err(_) => return,
                };
                if *finished {
                    break;
                }
                wait = TICK;
                let n = thread_count.load(Ordering::Relaxed);
                if shown == Some(n) {
                    continue;
                }
                // A terminal that went away is no reason to stop checking.
                let _ = write!(out, "{CLEAR}scanned {n} file{}", if n == 1 { "" } else { "s" });
                let _ = out.flush();
                shown = Some(n);
            }
            if shown.is_some() {
                let _ = write!(out, "{CLEAR}");
                let _ = out.flush();
            }
        });
        Progress {
            count,
            done,
            thread: Some(thread),
        }
    }

    /// The counter to bump once per file read.
    pub fn counter(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.count)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else { return };
        let (lock, cvar) = &*self.done;
        if let Ok(mut finished) = lock.lock() {
            *finished = true;
        }
        cvar.notify_all();
        let _ = thread.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer the test can read after the progress thread is done with it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn text(out: &Shared) -> String {
        String::from_utf8(out.0.lock().expect("not poisoned").clone()).expect("UTF-8")
    }

    #[test]
    fn a_quick_run_shows_nothing() {
        let out = Shared::default();
        let progress = Progress::start(Box::new(out.clone()), Duration::from_secs(60));
        progress.counter().fetch_add(3, Ordering::Relaxed);
        drop(progress);
        assert_eq!(text(&out), "");
    }

    #[test]
    fn a_slow_run_shows_the_count_then_clears_the_line() {
        let out = Shared::default();
        let progress = Progress::start(Box::new(out.clone()), Duration::ZERO);
        progress.counter().fetch_add(42, Ordering::Relaxed);
        std::thread::sleep(TICK * 3);
        drop(progress);
        let shown = text(&out);
        assert!(shown.contains("scanned 42 files"), "{shown:?}");
        assert!(shown.ends_with(CLEAR), "the line is cleared at the end: {shown:?}");
    }
}
