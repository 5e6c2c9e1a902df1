//! How the WebKitGTK webview is set up on Linux, for memory. The app is a few screens of tables
//! and forms and gains nothing from a browser's caches: the "document viewer" cache model keeps
//! no memory cache of resources and no page cache (everything the app shows comes from its own
//! bundle, and it never navigates back).
//!
//! Set on machines without a GPU, measured: `WEBKIT_DISABLE_COMPOSITING_MODE=1` (see
//! `prepare_environment`). Without a GPU render node this user can open (`/dev/dri/renderD*`),
//! WebKit's compositor runs on Mesa's software GL (llvmpipe): LLVM mapped into the web process
//! and the app, compositing buffers, and every frame composited on the CPU. Painting without
//! compositing instead, after browsing 20,000 customers under Xvfb (`e2e/app-figures.mjs`,
//! release, two alternating rounds of three launches): 375–392 → 314–321 MB PSS summed (web
//! process ~238 → ~167 MB), cold start unchanged (~1.0–1.1 s medians); scrolling the customers
//! table one step per animation frame (`e2e/rendering.test.mjs`): 9–12 → 61–62 frames/s, the
//! longest frame ~110 → ~20 ms. Two costs, both handled:
//! - Blurred box shadows are repainted on the CPU with every change under them: typing into the
//!   first-run form took ~90 ms per key (WebDriver, release) with the cards' 3 px blur and 8 ms
//!   without it, so the cards' shadow has no blur (`--shadow` in `ui/src/app.css`; the modal's
//!   and the picker's blurred shadows measured 5 and 17 ms per key, the same as composited).
//! - WebKitWebDriver's screenshots hang in this mode (two minutes, then a timeout), so the
//!   end-to-end harness captures the X display instead (`ui/e2e/harness.mjs`).
//!
//! With a GPU the page stays composited, on the GPU. `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the
//! environment forces compositing here too (`e2e/rendering.test.mjs` runs the app both ways).
//! On top of this mode, `GALLIUM_DRIVER=softpipe`, `LIBGL_ALWAYS_SOFTWARE=1` and
//! `WEBKIT_DISABLE_DMABUF_RENDERER=1` gained nothing (303–317 MB; WebKit still initialises EGL,
//! ~20 MB of LLVM pages in each process).
//!
//! Set, measured: `WEBKIT_SKIA_ENABLE_CPU_RENDERING=1` (see `prepare_environment`). WebKitGTK
//! 2.50 paints layers with Skia through GL by default; on a machine without a GPU that GL is
//! Mesa's llvmpipe, and Skia's GL painting keeps its caches and llvmpipe's state in the web
//! process. Painting on the CPU keeps the page composited (screenshots keep working, all 40
//! end-to-end tests pass) and dropped the web process's malloc heap from 48 MB to 5 MB. After
//! browsing 20,000 customers under Xvfb (`e2e/app-figures.mjs`, four alternating A/B rounds of
//! three launches each, medians per round): 443–457 → 385–393 MB PSS summed (web process
//! ~290 → ~230, app 131 and network 28 unchanged), cold start unchanged (~0.9–1.1 s on both
//! sides). The cost is painting speed on machines with a real
//! GPU, which a few screens of tables and forms do not feel.
//!
//! Tried and not kept, before compositing was disabled (same measurement, on top of CPU painting
//! unless said otherwise):
//! - `WEBKIT_DISABLE_DMABUF_RENDERER=1` and `GDK_GL=disable`: the same figures as disabling
//!   compositing (web process 157 MB), as WebKit then falls back to painting without it.
//! - `JSC_useJIT=false`: 366 MB vs 390 (−25 MB), cold start ~+120 ms, and every script
//!   (PDF previews included) runs interpreted. `JSC_useDFGJIT=false`, `JSC_forceRAMSize=512 MB`,
//!   `JSC_useConcurrentJIT=false`, one GC marker without concurrent GC: no gain.
//! - WebKit memory-pressure settings (`WebKitMemoryPressureSettings`, limit 150 MB,
//!   conservative 0.5, strict 0.8, poll 1 s): −12 MB and ~+100 ms cold start, as the web
//!   process then sits under pressure all the time; limit 100 MB: no gain. They are a
//!   construct-only property of the web context, which wry creates without them, so keeping
//!   them would take a patched wry.
//! - `GALLIUM_DRIVER=softpipe` (no llvmpipe JIT): 593 MB, much worse; `LP_NUM_THREADS=0`:
//!   +15 MB; `MALLOC_ARENA_MAX=2`, `WEBKIT_SKIA_CPU_PAINTING_THREADS=0`,
//!   `WEBKIT_DMABUF_RENDERER_FORCE_SHM=1`: no gain.

/// Sets the environment the WebKit processes start with; call it first thing, before the app
/// creates its window (and before any thread starts: it changes the process environment). A
/// value the user set already wins.
pub fn prepare_environment() {
    #[cfg(target_os = "linux")]
    {
        // No GPU: paint without compositing rather than composite through llvmpipe.
        if !has_gpu_render_node() {
            let _ = webkit2gtk::glib::setenv("WEBKIT_DISABLE_COMPOSITING_MODE", "1", false);
        }
        // Skia paints the page's layers on the CPU instead of through GL (they are still
        // composited, so WebDriver screenshots keep working). See the module docs for figures.
        let _ = webkit2gtk::glib::setenv("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1", false);
    }
}

/// Whether this user can open a DRM render node, the device WebKit and Mesa render on with a
/// GPU (one that exists but is not ours to open leaves them on software GL).
#[cfg(target_os = "linux")]
fn has_gpu_render_node() -> bool {
    let Ok(entries) = std::fs::read_dir("/dev/dri") else {
        return false;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        .any(|e| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(e.path())
                .is_ok()
        })
}

/// Sets up the main window's webview once it exists.
pub fn configure<R: tauri::Runtime>(app: &tauri::App<R>) {
    use tauri::Manager;
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    // If this fails the app still works, with WebKit's defaults.
    let _ = window.with_webview(|webview| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = webview;
    });
}
