//! The C heap (glibc's malloc) that SQLite allocates from: large blocks go back to the system.
//!
//! The Rust side allocates through mimalloc; SQLite, a C library, through glibc. By default
//! glibc raises its mmap threshold to the size of any large block once freed (up to 32 MiB),
//! so that later large blocks come from its heap, which cannot shrink past a live block. A
//! first build of the in-memory postings at a million offers has SQLite build texts of
//! megabytes (aggregated id lists) between long-lived allocations: with the default, a
//! server kept 30–50 MiB of such freed heap resident (README, "Memory").

/// Blocks of this size and more are mapped and unmapped on their own.
const MMAP_THRESHOLD_BYTES: i32 = 128 * 1024;

/// Fixes glibc's mmap threshold at its initial value (setting it turns the dynamic
/// adjustment off). Call it first thing in `main`; elsewhere than glibc it does nothing.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a malloc parameter; any value is valid for this one.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}
