# cmake -DIN=script.sh -DOUT=script.sh.inc -P embed_script.cmake
# Turns one remote shell script (src/collect/remote/*.sh) into a C++ raw string literal that a
# source file #includes. Whole-line comments are dropped (they would travel to every host on
# the command line); a line of a multi-line string must therefore not start with '#'. The text
# travels inside '...' on the command line: a single quote in it is a build error.
file(READ "${IN}" text)
string(REGEX REPLACE "^[ \t]*#[^\n]*\n" "" text "${text}")
string(REGEX REPLACE "\n[ \t]*#[^\n]*" "" text "${text}")
string(FIND "${text}" "'" quote)
if(NOT quote EQUAL -1)
  message(FATAL_ERROR "${IN}: a single quote outside a comment (the script travels inside '...')")
endif()
string(FIND "${text}" ")digger_sh\"" delimiter)
if(NOT delimiter EQUAL -1)
  message(FATAL_ERROR "${IN}: contains the raw string delimiter )digger_sh\"")
endif()
file(WRITE "${OUT}" "R\"digger_sh(${text})digger_sh\"\n")
