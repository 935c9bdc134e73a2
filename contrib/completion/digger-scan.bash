# bash completion for digger-scan.
#
# Subcommands, options and option values are read from the program's own --help (CLI11's
# layout) the first time they are needed in a shell, so the completion always matches the
# installed program. Options whose help says {a,b,c} complete to those words, :FILE to file
# names and :DIR to directories; anything else falls back to file names.

declare -gA _digger_scan_help_cache

# The --help text of PROGRAM [SUBCOMMAND], once per shell.
_digger_scan_help() {
  local key="$1 $2"
  if [[ -z ${_digger_scan_help_cache[$key]+set} ]]; then
    _digger_scan_help_cache[$key]=$("$1" ${2:+"$2"} --help 2>/dev/null)
  fi
  printf '%s\n' "${_digger_scan_help_cache[$key]}"
}

# Subcommand names: the first word of each line under "Subcommands:".
_digger_scan_subcommands() {
  sed -n '/^Subcommands:/,/^$/ s/^  \([a-z][a-z0-9-]*\)  .*/\1/p'
}

# Option lines: "  -i,--identity TEXT ...   text", "  --format TEXT:{table,json}=table".
_digger_scan_options() {
  sed -n '/^Options:/,/^$/ s/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n'
}

# What the option named $1 takes, from its help line: "flag", "file", "dir", "any", or the
# choices separated by spaces.
_digger_scan_value_kind() {
  local option=$1 line spec
  line=$(grep -E -m1 "^  ([^ ]*,)?${option}( |$)" -) || { echo flag; return; }
  spec=${line#*"$option"}
  spec=${spec#" "}
  case $spec in
    TEXT* | INT* | UINT* | FLOAT* | FILE*) ;;
    *) echo flag; return ;;
  esac
  spec=${spec%% *}
  case $spec in
    *:\{*\}*) spec=${spec#*:\{}; spec=${spec%%\}*}; echo "${spec//,/ }" ;;
    FILE* | *:FILE*) echo file ;;
    *:DIR*) echo dir ;;
    *) echo any ;;
  esac
}

_digger_scan() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local program=${COMP_WORDS[0]} subcommand="" help word i
  [[ $program == "~"/* ]] && program=$HOME/${program#"~/"}
  local subcommands
  subcommands=$(_digger_scan_help "$program" "" | _digger_scan_subcommands)
  for ((i = 1; i < COMP_CWORD; i++)); do
    for word in $subcommands; do
      if [[ ${COMP_WORDS[i]} == "$word" ]]; then
        subcommand=$word
        break 2
      fi
    done
  done
  help=$(_digger_scan_help "$program" "$subcommand")
  COMPREPLY=()
  if [[ $prev == -* && $cur != -* ]]; then
    local kind
    kind=$(_digger_scan_value_kind "$prev" <<<"$help")
    case $kind in
      flag) ;;
      file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
      any) return ;; # -o default: file names
      *) COMPREPLY=($(compgen -W "$kind" -- "$cur")); return ;;
    esac
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_digger_scan_options <<<"$help")" -- "$cur"))
  elif [[ -z $subcommand ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  fi
}

complete -o default -F _digger_scan digger-scan
