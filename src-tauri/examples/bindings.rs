//! Writes the shell's IPC types and `commands.ts` into ui/src/lib/api/bindings (`./dev bindings`
//! runs it after the core's ts-rs exports).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    enduse_app::bindings::export_bindings()
}
