fn main() {
    std::process::exit(enduse_hub::cli::run());
}
