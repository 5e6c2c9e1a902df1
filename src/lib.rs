pub fn placeholder() {}
pub mod screening;
