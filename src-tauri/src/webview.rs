//! How the WebKitGTK webview is set up on Linux, for memory. The app is a few screens of tables
//! and forms and gains nothing from a browser's caches: the "document viewer" cache model keeps
//! no memory cache of resources and no page cache (everything the app shows comes from its own
//! bundle, and it never navigates back).
//!
//! Not done, measured: `WEBKIT_DISABLE_COMPOSITING_MODE=1` (painting without GPU compositing)
//! saved ~100 MB PSS with 20,000 customers under Xvfb, but WebKitWebDriver's screenshots then
//! hung for two minutes on pages with a PDF canvas or after some updates (the campaign and
//! customer end-to-end tests), so the app keeps WebKit's default. The hardware-acceleration
//! policy `Never` on the webview's settings hangs them the same way.

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
