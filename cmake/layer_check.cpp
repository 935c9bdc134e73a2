// Empty on purpose: each digger_<stage>_layer_check shared object is this file plus the whole
// static library of the stage, linked with -Wl,--no-undefined (cmake/DiggerStage.cmake).
