#include "digger/ssh/agent.hpp"
#include "digger/ssh/base64.hpp"
#include "digger/ssh/host_keys.hpp"
#include "digger/ssh/wire.hpp"

#include <catch2/catch.hpp>

using namespace digger::ssh;

TEST_CASE("wire reader never reads past its input", "[ssh][wire]") {
  std::string data;
  wire::put_u32(data, 5);
  data += "abc"; // claims 5 bytes, has 3
  wire::Reader reader(data);
  CHECK_FALSE(reader.string().has_value());
  CHECK(reader.remaining() == data.size()); // a failed string() consumes nothing
  CHECK(reader.u32().value() == 5);
  CHECK_FALSE(reader.u32().has_value());
  CHECK(reader.bytes(3).value() == "abc");
  CHECK_FALSE(reader.byte().has_value());
}

TEST_CASE("mpint encoding strips zeros and pads the sign bit", "[ssh][wire]") {
  std::string out;
  wire::put_mpint(out, std::string("\0\0\x7f", 3));
  CHECK(out == std::string("\0\0\0\1\x7f", 5));
  out.clear();
  wire::put_mpint(out, "\x80");
  CHECK(out == std::string("\0\0\0\2\0\x80", 6));
  out.clear();
  wire::put_mpint(out, std::string("\0", 1));
  CHECK(out == std::string("\0\0\0\0", 4));
}

TEST_CASE("base64 round trip and garbage", "[ssh][wire]") {
  std::string bytes("\0\1\2\xff\xfe", 5);
  CHECK(base64_encode(bytes, true) == "AAEC//4=");
  CHECK(base64_encode(bytes, false) == "AAEC//4");
  CHECK(base64_decode("AAEC\n//4=") == bytes);
  CHECK(base64_decode("AAE").empty());
  CHECK(base64_decode("!!!!").empty());
}

TEST_CASE("agent sign request and response", "[ssh][wire]") {
  std::string request = agent_sign_request("BLOB", "DATA");
  wire::Reader reader(request);
  std::string_view body = reader.string().value();
  CHECK(reader.remaining() == 0);
  wire::Reader fields(body);
  CHECK(fields.byte().value() == 13);
  CHECK(fields.string().value() == "BLOB");
  CHECK(fields.string().value() == "DATA");
  CHECK(fields.u32().value() == 0);

  std::string inner;
  wire::put_string(inner, "ssh-ed25519");
  wire::put_string(inner, std::string(64, 's'));
  std::string response(1, '\x0e');
  wire::put_string(response, inner);
  CHECK(parse_agent_sign_response(response).value() == std::string(64, 's'));
  CHECK(parse_agent_sign_response(std::string(1, '\x05')).error() == "ssh-agent refused to sign");
  CHECK_FALSE(parse_agent_sign_response(response.substr(0, 10)).ok());
  CHECK_FALSE(parse_agent_sign_response("").ok());
}

TEST_CASE("host key method preference puts known types first", "[ssh][wire]") {
  CHECK(hostkey_method_preference({}) ==
        "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa");
  CHECK(hostkey_method_preference({"ecdsa-sha2-nistp256"}) == "ecdsa-sha2-nistp256");
  CHECK(hostkey_method_preference({"ssh-ed25519", "ssh-dss", "ssh-ed25519", "ssh-rsa"}) ==
        "ssh-ed25519,ssh-rsa");
  // Only types libssh2 1.10 cannot verify: fall back to everything rather than fail.
  CHECK(hostkey_method_preference({"sk-ssh-ed25519@openssh.com"}).rfind("ssh-ed25519,", 0) == 0);
}

TEST_CASE("key type of a blob", "[ssh][wire]") {
  std::string blob;
  wire::put_string(blob, "ssh-ed25519");
  wire::put_string(blob, std::string(32, 'k'));
  CHECK(wire::key_type_of_blob(blob) == "ssh-ed25519");
  CHECK(wire::key_type_of_blob("xx").empty());
}
