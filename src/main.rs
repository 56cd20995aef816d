//! The stand-alone page that Trunk builds: the annotator on its own.

fn main() {
    marginalia::page::start();
}
