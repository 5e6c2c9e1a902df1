pub fn placeholder() {}

pub mod letters;
