//! How the WebKitGTK webview is set up on Linux, for memory. The app is a few screens of tables
//! and forms: it gains nothing from GPU compositing or a browser's caches, which cost most of its
//! memory (20,000 customers, PSS summed over the app and its WebKit processes after browsing the
//! customers, as `ui/e2e/app-figures.mjs` measures it):
//! - Accelerated compositing makes both the web process and the app load Mesa (with LLVM for
//!   software rendering) and keep GL layer buffers: ~180 MB of the total under Xvfb. Without it
//!   WebKit paints pages on the CPU; transforms, scrolling and the PDF canvas render the same.
//!   Only the environment switches it off before WebKit starts its processes (the
//!   hardware-acceleration setting of a webview comes after its web process has loaded Mesa).
//! - The "document viewer" cache model keeps no memory cache of resources and no page cache:
//!   everything the app shows comes from its own bundle, and it never navigates back.

/// Environment read by WebKitGTK in the app and inherited by its web process. Set unless the
/// user set it (`WEBKIT_DISABLE_COMPOSITING_MODE=0` brings compositing back).
#[cfg(target_os = "linux")]
const ENVIRONMENT: &[(&str, &str)] = &[("WEBKIT_DISABLE_COMPOSITING_MODE", "1")];

/// Sets the environment WebKit reads when it starts. Call first thing in `run()`, while the
/// process has one thread: changing the environment is only sound while no other thread reads it
/// (glib's `setenv` is `std::env::set_var` without the `unsafe` this crate forbids).
pub fn prepare_environment() {
    #[cfg(target_os = "linux")]
    for (name, value) in ENVIRONMENT {
        // Without it the app still works, with WebKit's defaults.
        let _ = webkit2gtk::glib::setenv(name, value, false);
    }
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
