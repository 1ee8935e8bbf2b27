#include <doctest/doctest.h>

#include "core/protocol/messages.hpp"

using namespace confhost;
using nlohmann::json;

namespace {

MixerSpec sampleMixer() {
  MixerSpec m;
  m.mixerName = "m1";
  m.mixingPage = "https://localhost:8443/index.html#/mixer?scope=live/room1&ws=localhost:8443&token=t";
  m.streamName = "room1";
  m.path = "live/room1";
  m.width = 1920;
  m.height = 1080;
  m.framerate = 25;
  m.bitrate = 3000;
  m.doForward = false;
  m.destinationMixerName = "";
  return m;
}

CompositionRequest sampleRequest() {
  CompositionRequest r;
  r.event = "room1";
  r.transcodeComposition = true;
  r.digest = "abc";
  r.mixers = {sampleMixer()};
  r.location = {"local"};
  return r;
}

Composition sampleComposition() {
  MixerStatus s;
  s.id = "mx-1";
  s.name = "m1";
  s.path = "live/room1";
  s.location = "local";
  s.serverAddress = "127.0.0.1";
  s.state = MixerState::Composing;
  s.isWebSocketConnected = true;
  s.page = "https://h/x?mixerId=mx-1";
  s.lastError = "";
  s.definition = sampleMixer();
  MixerStatus f = s;
  f.definition.reset();  // a status without its definition, as the reference's own messages carry
  f.id = "mx-2";
  f.state = MixerState::Failed;
  f.lastError = "chromium exited with code 1";
  return Composition{"room1", "room1", "live", {s, f}};
}

Error clientError(const std::string& text) {
  auto r = parseClientMessage(text);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

Error serverError(const std::string& text) {
  auto r = parseServerMessage(text);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

template <class T>
T parseClientAs(const std::string& text) {
  auto r = parseClientMessage(text);
  if (!r.ok()) FAIL(r.error().message());
  REQUIRE(std::holds_alternative<T>(*r));
  return std::get<T>(*r);
}

template <class T>
T parseServerAs(const std::string& text) {
  auto r = parseServerMessage(text);
  if (!r.ok()) FAIL(r.error().message());
  REQUIRE(std::holds_alternative<T>(*r));
  return std::get<T>(*r);
}

void roundTrip(const ClientMessage& m) {
  CAPTURE(serialize(m));
  auto back = parseClientMessage(serialize(m));
  if (!back.ok()) FAIL(back.error().message());
  CHECK(*back == m);
  CHECK(toJson(m).at("type") == std::string(typeName(m)));
}

void roundTrip(const ServerMessage& m) {
  CAPTURE(serialize(m));
  auto back = parseServerMessage(serialize(m));
  if (!back.ok()) FAIL(back.error().message());
  CHECK(*back == m);
  CHECK(toJson(m).at("type") == std::string(typeName(m)));
}

const char* kReferenceCreate =
    R"({"type":"createComposition","event":"room1","digest":"abc","transcodeComposition":false,"mixers":[{"mixerName":"m1","mixingPage":"https://h/x","streamName":"room1","path":"live/room1","width":"1280","height":"720","framerate":"30","bitrate":"1500","doForward":true,"destinationMixerName":""}],"location":["local"]})";

// The reference page's request with one mixer field replaced.
std::string createWith(const std::string& field, const json& value) {
  json j = json::parse(kReferenceCreate);
  if (value.is_null()) j["mixers"][0].erase(field);
  else j["mixers"][0][field] = value;
  return j.dump();
}

}  // namespace

TEST_SUITE("messages") {
  // ---- round trips, every message, both directions -----------------------------------------------

  TEST_CASE("every client message survives serialize then parse") {
    roundTrip(Promote{"live/room1", "alice"});
    roundTrip(Demote{"live/room1", "alice"});
    roundTrip(Presenter{"live/room1", "alice"});
    roundTrip(Order{"live/room1", "alice", 2});
    roundTrip(Exclude{"live/room1_wr", "alice"});
    roundTrip(CreateComposition{sampleRequest()});
    CompositionRequest chained = sampleRequest();
    MixerSpec first = sampleMixer();
    first.mixerName = "m0";
    first.destinationMixerName = "m1";
    chained.mixers.insert(chained.mixers.begin(), first);
    roundTrip(CreateComposition{chained});
    roundTrip(DestroyComposition{"room1"});
    roundTrip(GetActiveCompositions{});
    roundTrip(GetActiveStreams{});
  }

  TEST_CASE("every server message survives serialize then parse") {
    roundTrip(Active{"live/room1_wr", {"alice", "bob"}, std::nullopt});
    roundTrip(Active{"live/room1_wr", {"alice", "bob_screenshare"}, std::string("bob_screenshare")});
    roundTrip(Active{"live/room1", {}, std::nullopt});
    roundTrip(Excluded{"live/room1_wr", {"mallory"}});
    roundTrip(Excluded{"live/room1_wr", {}});
    roundTrip(Conference{"live/room1", std::string("bob"), {"alice", "bob"}});
    roundTrip(Conference{"live/room1", std::nullopt, {}});
    roundTrip(ActiveCompositions{"live/room1_wr", {sampleComposition()}});
    roundTrip(ActiveCompositions{"live/room1_wr", {}});
    roundTrip(MixerRegions{{"local", "us-east-1"}});
    roundTrip(MixerRegions{{}});
    roundTrip(ActiveStreams{"live/room1_wr", {"alice"}});
    roundTrip(ActiveStreams{"live/room1_wr", {}});
    roundTrip(ErrorReply{"streamName: 'x' is not in the waiting room"});
    roundTrip(Talking{"live/room1", {"alice", "bob"}});
    roundTrip(Talking{"live/room1", {}});
  }

  TEST_CASE("talking is our own type, prefixed, with the room and the whole set of streams") {
    CHECK(serialize(ServerMessage{Talking{"live/room1", {"alice"}}}) ==
          R"({"room":"live/room1","streams":["alice"],"type":"confhost.talking"})");
    const auto t = parseServerAs<Talking>(R"({"type":"confhost.talking","room":"live/room1","streams":[]})");
    CHECK(t.streams.empty());
    // Without the prefix it is not ours: refused like any unknown type.
    CHECK(serverError(R"({"type":"talking","room":"live/room1","streams":[]})").message() ==
          "type: unknown message type 'talking'");
  }

  TEST_CASE("a talking message with a bad field is refused naming the field") {
    CHECK(serverError(R"({"type":"confhost.talking","streams":[]})").message() == "room: missing");
    CHECK(serverError(R"({"type":"confhost.talking","room":"live/room1"})").message() == "streams: missing");
    CHECK(serverError(R"({"type":"confhost.talking","room":"live/room1","streams":"alice"})").message() ==
          "streams: must be an array");
    CHECK(serverError(R"({"type":"confhost.talking","room":"live/room1","streams":[{"name":"a"}]})").message() ==
          "streams[0]: must be a string");
    CHECK(serverError(R"({"type":"confhost.talking","room":"live/room1","streams":["a","b/c"]})").message() ==
          "streams[1]: must not contain '/'");
    CHECK(serverError(R"({"type":"confhost.talking","room":"live/room1_wr","streams":[]})").message().find("room: ") == 0);
    CHECK(serverError(R"({"type":"confhost.talking","room":"room1","streams":[]})").message().find("room: ") == 0);
  }

  TEST_CASE("every mixer state survives serialize then parse") {
    for (auto s : {MixerState::Pending, MixerState::InService, MixerState::Composing, MixerState::Terminating,
                   MixerState::Failed}) {
      CHECK((mixerStateFromString(toString(s)) == s));
      Composition c = sampleComposition();
      c.mixers[0].state = s;
      roundTrip(ActiveCompositions{"live/room1", {c}});
    }
    CHECK(std::string(toString(MixerState::InService)) == "inservice");
    CHECK((mixerStateFromString("disconnected") == MixerState::Failed));
    CHECK_FALSE(mixerStateFromString("running").has_value());
  }

  TEST_CASE("composition pieces round-trip without a type") {
    json body = toJson(sampleRequest());
    CHECK_FALSE(body.contains("type"));
    auto r = compositionRequestFromJson(body);
    REQUIRE(r.ok());
    CHECK(*r == sampleRequest());
    json c = toJson(sampleComposition());
    auto back = compositionFromJson(c);
    REQUIRE(back.ok());
    CHECK(*back == sampleComposition());
  }

  TEST_CASE("serialize writes the type and the wire field names") {
    json j = json::parse(serialize(ClientMessage(Order{"live/room1", "alice", 1})));
    CHECK(j == json{{"type", "order"}, {"room", "live/room1"}, {"streamName", "alice"}, {"order", 1}});
    json c = json::parse(serialize(ClientMessage(CreateComposition{sampleRequest()})));
    CHECK(c["type"] == "createComposition");
    CHECK(c["mixers"][0]["width"] == 1920);
    CHECK(c["mixers"][0]["destinationMixerName"] == "");
    CHECK(c["location"] == json{"local"});
    json s = json::parse(serialize(ServerMessage(ErrorReply{"boom"})));
    CHECK(s == json{{"type", "error"}, {"error", "boom"}});
  }

  TEST_CASE("conference without a presenter is sent without the field") {
    json j = toJson(ServerMessage(Conference{"live/room1", std::nullopt, {}}));
    CHECK_FALSE(j.contains("presenter"));
    json k = toJson(ServerMessage(Conference{"live/room1", std::string(""), {}}));
    CHECK_FALSE(k.contains("presenter"));
  }

  TEST_CASE("serialize never throws on invalid UTF-8") {
    std::string text;
    CHECK_NOTHROW(text = serialize(ServerMessage(ErrorReply{"bad \xff byte"})));
    CHECK(parseServerMessage(text).ok());
  }

  // ---- the reference server's output ---------------------------------------------------------------

  TEST_CASE("reference conference without presenter parses with no presenter") {
    auto c = parseServerAs<Conference>(R"({"type":"conference","room":"live/room1","streams":["alice"]})");
    CHECK(c.room == "live/room1");
    CHECK_FALSE(c.presenter.has_value());
    CHECK(c.streams == std::vector<std::string>{"alice"});
  }

  TEST_CASE("reference conference with empty presenter parses with no presenter") {
    auto c = parseServerAs<Conference>(R"({"type":"conference","presenter":"","room":"live/room1","streams":[]})");
    CHECK_FALSE(c.presenter.has_value());
    CHECK(c == Conference{"live/room1", std::nullopt, {}});
  }

  TEST_CASE("reference conference before any promote has no streams field") {
    // The reference stringifies an undefined list, which drops the key.
    auto c = parseServerAs<Conference>(R"({"type":"conference","room":"live/room1"})");
    CHECK(c.streams.empty());
  }

  TEST_CASE("reference active without screenshareName parses with none") {
    auto a = parseServerAs<Active>(R"({"type":"active","room":"live/room1_wr","streams":["alice","bob"]})");
    CHECK(a.room == "live/room1_wr");
    CHECK(a.streams == std::vector<std::string>{"alice", "bob"});
    CHECK_FALSE(a.screenshareName.has_value());
  }

  TEST_CASE("reference active with screenshareName keeps it") {
    auto a = parseServerAs<Active>(
        R"({"type":"active","room":"live/room1_wr","screenshareName":"bob_screenshare","streams":["bob_screenshare"]})");
    CHECK(a.screenshareName.value_or("") == "bob_screenshare");
  }

  TEST_CASE("reference active for an empty room has no streams field") {
    auto a = parseServerAs<Active>(R"({"type":"active","room":"live/room1_wr"})");
    CHECK(a.streams.empty());
  }

  TEST_CASE("streams given as objects with a name are read as names") {
    auto a = parseServerAs<Active>(
        R"({"type":"active","room":"live/room1_wr","streams":[{"name":"alice","extra":1},"bob"]})");
    CHECK(a.streams == std::vector<std::string>{"alice", "bob"});
    auto c = parseServerAs<Conference>(
        R"({"type":"conference","room":"live/room1","presenter":"alice","streams":[{"name":"alice"}]})");
    CHECK(c.streams == std::vector<std::string>{"alice"});
    auto e = parseServerAs<Excluded>(R"({"type":"excluded","room":"live/room1_wr","streams":[{"name":"m"}]})");
    CHECK(e.streams == std::vector<std::string>{"m"});
  }

  TEST_CASE("a stream object without a name is refused naming the element") {
    CHECK(serverError(R"({"type":"active","room":"r","streams":[{"id":1}]})").message() == "streams[0].name: missing");
    CHECK(serverError(R"({"type":"active","room":"r","streams":[1]})").message() ==
          "streams[0]: must be a string or an object with a name");
  }

  TEST_CASE("reference activeCompositions mixers may omit fields, which get defaults") {
    auto m = parseServerAs<ActiveCompositions>(
        R"({"type":"activeCompositions","room":"live/room1_wr","list":[{"event":"room1","mixers":[{"id":"x1","state":"pending"},{"id":"x2","state":"disconnected","serverAddress":"10.0.0.1","mixingPage":"https://h/p","location":["us"]}]}]})");
    REQUIRE(m.list.size() == 1);
    const Composition& c = m.list[0];
    CHECK(c.event == "room1");
    CHECK(c.name == "");
    REQUIRE(c.mixers.size() == 2);
    CHECK(c.mixers[0].id == "x1");
    CHECK((c.mixers[0].state == MixerState::Pending));
    CHECK(c.mixers[0].isWebSocketConnected == false);
    CHECK(c.mixers[0].lastError == "");
    CHECK(c.mixers[0].page == "");
    CHECK((c.mixers[1].state == MixerState::Failed));
    CHECK(c.mixers[1].serverAddress == "10.0.0.1");
    CHECK(c.mixers[1].page == "https://h/p");
    CHECK(c.mixers[1].location == "us");
    CHECK_FALSE(c.mixers[0].definition.has_value());
    CHECK_FALSE(c.mixers[1].definition.has_value());
  }

  TEST_CASE("a mixer status carries its whole definition beside id and state") {
    const json j = toJson(sampleComposition())["mixers"][0];
    const MixerSpec d = sampleMixer();
    CHECK(j["mixerName"] == d.mixerName);
    CHECK(j["mixingPage"] == d.mixingPage);
    CHECK(j["streamName"] == d.streamName);
    CHECK(j["path"] == d.path);
    CHECK(j["width"] == d.width);
    CHECK(j["height"] == d.height);
    CHECK(j["framerate"] == d.framerate);
    CHECK(j["bitrate"] == d.bitrate);
    CHECK(j["doForward"] == d.doForward);
    CHECK(j["destinationMixerName"] == "");
    CHECK(j["id"] == "mx-1");
    CHECK(j["state"] == "composing");
    CHECK(j["page"] == "https://h/x?mixerId=mx-1");
    const json bare = toJson(sampleComposition())["mixers"][1];
    CHECK_FALSE(bare.contains("mixerName"));
    CHECK_FALSE(bare.contains("destinationMixerName"));
  }

  TEST_CASE("a Stream Manager answer relayed by the reference keeps each mixer's definition") {
    auto m = parseServerAs<ActiveCompositions>(
        R"({"type":"activeCompositions","room":"live/room1_wr","list":[{"event":"room1","mixers":[{"id":"a3d4","state":"inservice","location":["us-east-1"],"mixerName":"final","mixingPage":"https://h/p?sm=true&type=cef&cef-id=a3d4","streamName":"room1","path":"live/room1","width":1280,"height":720,"framerate":30,"bitrate":1500,"doForward":true,"destinationMixerName":""}]}]})");
    const MixerStatus& s = m.list.at(0).mixers.at(0);
    REQUIRE(s.definition.has_value());
    CHECK(s.definition->mixerName == "final");
    CHECK(s.definition->destinationMixerName == "");
    CHECK(s.definition->width == 1280);
    CHECK(s.name == "final");
    CHECK(s.location == "us-east-1");
    CHECK(s.page == "https://h/p?sm=true&type=cef&cef-id=a3d4");
    CHECK((s.state == MixerState::InService));
  }

  TEST_CASE("a mixer definition that breaks the request's rules is left out and the status still read") {
    json j = toJson(sampleComposition());
    j["mixers"][0]["width"] = 100000;
    auto c = compositionFromJson(j);
    REQUIRE(c.ok());
    CHECK_FALSE(c->mixers[0].definition.has_value());
    CHECK(c->mixers[0].id == "mx-1");
    CHECK((c->mixers[0].state == MixerState::Composing));
    CHECK(c->mixers[0].path == "live/room1");
  }

  TEST_CASE("activeCompositions with an unknown mixer state is refused") {
    CHECK(serverError(R"({"type":"activeCompositions","room":"r","list":[{"event":"e","mixers":[{"state":"running"}]}]})")
              .message() == "list[0].mixers[0].state: unknown mixer state 'running'");
  }

  TEST_CASE("reference activeStreams list shape is read") {
    auto a = parseServerAs<ActiveStreams>(
        R"({"type":"activeStreams","list":[{"room":"live/room1_wr","streams":["alice"]}]})");
    CHECK(a == ActiveStreams{"live/room1_wr", {"alice"}});
    auto none = parseServerAs<ActiveStreams>(R"({"type":"activeStreams","list":[]})");
    CHECK(none.streams.empty());
  }

  TEST_CASE("reference mixerRegions and error parse") {
    CHECK(parseServerAs<MixerRegions>(R"({"type":"mixerRegions","regions":["us-east"]})").regions ==
          std::vector<std::string>{"us-east"});
    CHECK(parseServerAs<ErrorReply>(R"({"type":"error","error":"A composition with name x was not found."})").error ==
          "A composition with name x was not found.");
  }

  TEST_CASE("createComposition as the reference host page sends it, numbers as strings") {
    auto c = parseClientAs<CreateComposition>(kReferenceCreate);
    const CompositionRequest& r = c.request;
    CHECK(r.event == "room1");
    CHECK(r.digest == "abc");
    CHECK(r.transcodeComposition == false);
    CHECK(r.location == std::vector<std::string>{"local"});
    REQUIRE(r.mixers.size() == 1);
    const MixerSpec& m = r.mixers[0];
    CHECK(m.mixerName == "m1");
    CHECK(m.mixingPage == "https://h/x");
    CHECK(m.streamName == "room1");
    CHECK(m.path == "live/room1");
    CHECK(m.width == 1280);
    CHECK(m.height == 720);
    CHECK(m.framerate == 30);
    CHECK(m.bitrate == 1500);
    CHECK(m.doForward == true);
    CHECK(m.destinationMixerName == "");
    // And ours re-serializes it with numbers.
    CHECK(toJson(ClientMessage(c))["mixers"][0]["width"] == 1280);
  }

  TEST_CASE("client messages as the reference host page sends them") {
    CHECK(parseClientAs<Promote>(R"({"type":"promote","room":"live/room1","streamName":"alice"})") ==
          Promote{"live/room1", "alice"});
    CHECK(parseClientAs<Exclude>(R"({"type":"exclude","room":"live/room1_wr","streamName":"alice"})") ==
          Exclude{"live/room1_wr", "alice"});
    CHECK(parseClientAs<Order>(R"({"type":"order","room":"live/room1","streamName":"alice","order":0})") ==
          Order{"live/room1", "alice", 0});
    CHECK(parseClientAs<DestroyComposition>(R"({"type":"destroyComposition","event":"room1"})") ==
          DestroyComposition{"room1"});
    parseClientAs<GetActiveCompositions>(R"({"type":"getActiveCompositions"})");
    parseClientAs<GetActiveStreams>(R"({"type":"getActiveStreams"})");
  }

  TEST_CASE("unknown extra fields are ignored") {
    CHECK(parseClientAs<Demote>(R"({"type":"demote","room":"live/room1","streamName":"a","foo":[1,{"x":2}]})") ==
          Demote{"live/room1", "a"});
    CHECK(parseClientAs<CreateComposition>(createWith("unexpected", "x")).request.mixers.size() == 1);
    CHECK(parseServerAs<Excluded>(R"({"type":"excluded","room":"r","streams":[],"when":5})").room == "r");
  }

  // ---- strictness ----------------------------------------------------------------------------------

  TEST_CASE("malformed JSON is refused with the parser's detail") {
    auto e = clientError("{\"type\":");
    CHECK(e.field == "");
    CHECK(e.message().rfind("malformed JSON: ", 0) == 0);
    CHECK(e.message().find("json.exception") == std::string::npos);
    CHECK(serverError("not json").message().rfind("malformed JSON: ", 0) == 0);
    CHECK(clientError("").message().rfind("malformed JSON: ", 0) == 0);
  }

  TEST_CASE("absurdly nested JSON is refused without recursing") {
    std::string deep(100000, '[');
    CHECK(clientError(deep).message().rfind("malformed JSON: ", 0) == 0);
    // Brackets inside strings do not count.
    CHECK(parseServerAs<ErrorReply>(R"({"type":"error","error":")" + std::string(100, '[') + R"("})").error.size() == 100);
  }

  TEST_CASE("a message that is not an object is refused") {
    CHECK(clientError("[1,2]").message() == "message must be a JSON object");
    CHECK(clientError("\"promote\"").message() == "message must be a JSON object");
    CHECK(serverError("42").message() == "message must be a JSON object");
  }

  TEST_CASE("a message without type is refused") {
    CHECK(clientError(R"({"room":"r"})").message() == "type: missing");
    CHECK(clientError(R"({"type":7})").message() == "type: must be a string");
    CHECK(serverError(R"({})").message() == "type: missing");
  }

  TEST_CASE("an unknown type is refused naming it") {
    CHECK(clientError(R"({"type":"x"})").message() == "type: unknown message type 'x'");
    // A server message is not a client message and vice versa.
    CHECK(clientError(R"({"type":"active","room":"r"})").message() == "type: unknown message type 'active'");
    CHECK(serverError(R"({"type":"promote","room":"r","streamName":"s"})").message() ==
          "type: unknown message type 'promote'");
  }

  TEST_CASE("a missing field is refused naming it") {
    CHECK(clientError(R"({"type":"promote","room":"live/room1"})").message() == "streamName: missing");
    CHECK(clientError(R"({"type":"demote","streamName":"a"})").message() == "room: missing");
    CHECK(clientError(R"({"type":"order","room":"r","streamName":"a"})").message() == "order: missing");
    CHECK(clientError(R"({"type":"destroyComposition"})").message() == "event: missing");
    CHECK(serverError(R"({"type":"conference","streams":[]})").message() == "room: missing");
    CHECK(serverError(R"({"type":"error"})").message() == "error: missing");
    CHECK(serverError(R"({"type":"mixerRegions"})").message() == "regions: missing");
  }

  TEST_CASE("a field of the wrong type is refused naming it") {
    CHECK(clientError(R"({"type":"order","room":"r","streamName":"a","order":"1"})").message() ==
          "order: must be an integer");
    CHECK(clientError(R"({"type":"order","room":"r","streamName":"a","order":1.5})").message() ==
          "order: must be an integer");
    CHECK(clientError(R"({"type":"promote","room":"r","streamName":5})").message() == "streamName: must be a string");
    CHECK(serverError(R"({"type":"active","room":"r","streams":"a"})").message() == "streams: must be an array");
    CHECK(serverError(R"({"type":"conference","room":"r","presenter":3})").message() == "presenter: must be a string");
    CHECK(serverError(R"({"type":"active","room":"r","screenshareName":3})").message() ==
          "screenshareName: must be a string");
  }

  TEST_CASE("a negative order is refused") {
    CHECK(clientError(R"({"type":"order","room":"r","streamName":"a","order":-1})").message() ==
          "order: must not be negative");
  }

  TEST_CASE("invalid names are refused with the pattern") {
    const std::string pattern = "must match ^[/0-9A-Za-z_-]{1,255}$";
    CHECK(clientError(R"({"type":"promote","room":"live/room 1","streamName":"a"})").message() == "room: " + pattern);
    CHECK(clientError(R"({"type":"promote","room":"r","streamName":"a.b"})").message() == "streamName: " + pattern);
    CHECK(clientError(R"({"type":"promote","room":"r","streamName":""})").message() == "streamName: missing");
    CHECK(clientError(R"({"type":"destroyComposition","event":"e!"})").message() == "event: " + pattern);
    json j = json::parse(kReferenceCreate);
    j["event"] = "a b";
    CHECK(clientError(j.dump()).message() == "event: " + pattern);
    j = json::parse(kReferenceCreate);
    j["digest"] = "a:b";
    CHECK(clientError(j.dump()).message() == "digest: " + pattern);
    CHECK(clientError(createWith("path", "live/room?1")).message() == "mixers[0].path: " + pattern);
    CHECK(clientError(createWith("streamName", "room 1")).message() == "mixers[0].streamName: " + pattern);
    CHECK(clientError(createWith("mixerName", "m 1")).message() == "mixers[0].mixerName: " + pattern);
    CHECK(clientError(createWith("destinationMixerName", "x y")).message() ==
          "mixers[0].destinationMixerName: " + pattern);
  }

  TEST_CASE("mixer numbers must be in sane ranges") {
    CHECK(clientError(createWith("width", 15)).message() == "mixers[0].width: must be between 16 and 4096");
    CHECK(clientError(createWith("width", "4097")).message() == "mixers[0].width: must be between 16 and 4096");
    CHECK(clientError(createWith("height", 0)).message() == "mixers[0].height: must be between 16 and 4096");
    CHECK(clientError(createWith("framerate", 61)).message() == "mixers[0].framerate: must be between 1 and 60");
    CHECK(clientError(createWith("framerate", "0")).message() == "mixers[0].framerate: must be between 1 and 60");
    CHECK(clientError(createWith("bitrate", 99)).message() == "mixers[0].bitrate: must be between 100 and 50000");
    CHECK(clientError(createWith("bitrate", 50001)).message() == "mixers[0].bitrate: must be between 100 and 50000");
    CHECK(parseClientAs<CreateComposition>(createWith("width", 16)).request.mixers[0].width == 16);
    CHECK(parseClientAs<CreateComposition>(createWith("width", "4096")).request.mixers[0].width == 4096);
    CHECK(parseClientAs<CreateComposition>(createWith("bitrate", 50000)).request.mixers[0].bitrate == 50000);
  }

  TEST_CASE("mixer numbers must be integers, as numbers or numeric strings") {
    CHECK(clientError(createWith("width", "12x")).message() == "mixers[0].width: must be an integer");
    CHECK(clientError(createWith("width", "")).message() == "mixers[0].width: must be an integer");
    CHECK(clientError(createWith("width", " 1280")).message() == "mixers[0].width: must be an integer");
    CHECK(clientError(createWith("height", 720.5)).message() == "mixers[0].height: must be an integer");
    CHECK(clientError(createWith("framerate", true)).message() == "mixers[0].framerate: must be an integer");
    CHECK(clientError(createWith("bitrate", "99999999999999999999")).message() ==
          "mixers[0].bitrate: must be an integer");
    CHECK(clientError(createWith("width", nullptr)).message() == "mixers[0].width: missing");
  }

  TEST_CASE("mixers must be a non-empty array of objects") {
    json j = json::parse(kReferenceCreate);
    j["mixers"] = json::array();
    CHECK(clientError(j.dump()).message() == "mixers: must not be empty");
    j["mixers"] = "m1";
    CHECK(clientError(j.dump()).message() == "mixers: must be an array");
    j["mixers"] = json::array({1});
    CHECK(clientError(j.dump()).message() == "mixers[0]: must be an object");
    j.erase("mixers");
    CHECK(clientError(j.dump()).message() == "mixers: missing");
  }

  TEST_CASE("exactly one mixer is the final one") {
    json j = json::parse(kReferenceCreate);
    j["mixers"].push_back(j["mixers"][0]);
    CHECK(clientError(j.dump()).message() == "mixers: exactly one mixer must have an empty destinationMixerName");
    j["mixers"][0]["destinationMixerName"] = "m1";
    CHECK(parseClientMessage(j.dump()).ok());
  }

  TEST_CASE("location has exactly one entry") {
    json j = json::parse(kReferenceCreate);
    j["location"] = json::array();
    CHECK(clientError(j.dump()).message() == "location: must have exactly one entry");
    j["location"] = json::array({"a", "b"});
    CHECK(clientError(j.dump()).message() == "location: must have exactly one entry");
    j["location"] = "local";
    CHECK(clientError(j.dump()).message() == "location: must be an array");
    j["location"] = json::array({1});
    CHECK(clientError(j.dump()).message() == "location[0]: must be a string");
  }

  TEST_CASE("mixingPage must be an http(s) URL") {
    const std::string reason = "mixers[0].mixingPage: must be an http(s) URL";
    CHECK(clientError(createWith("mixingPage", "ftp://h/x")).message() == reason);
    CHECK(clientError(createWith("mixingPage", "javascript:alert(1)")).message() == reason);
    CHECK(clientError(createWith("mixingPage", "https://")).message() == reason);
    CHECK(clientError(createWith("mixingPage", "https://h/a b")).message() == reason);
    CHECK(clientError(createWith("mixingPage", "")).message() == reason);
    CHECK(clientError(createWith("mixingPage", 3)).message() == "mixers[0].mixingPage: must be a string");
    CHECK(parseClientAs<CreateComposition>(createWith("mixingPage", "http://127.0.0.1:8443/index.html#/mixer?a=b"))
              .request.mixers[0]
              .mixingPage == "http://127.0.0.1:8443/index.html#/mixer?a=b");
  }

  TEST_CASE("transcodeComposition and doForward must be booleans") {
    json j = json::parse(kReferenceCreate);
    j["transcodeComposition"] = "false";
    CHECK(clientError(j.dump()).message() == "transcodeComposition: must be a boolean");
    j.erase("transcodeComposition");
    CHECK(clientError(j.dump()).message() == "transcodeComposition: missing");
    CHECK(clientError(createWith("doForward", "true")).message() == "mixers[0].doForward: must be a boolean");
  }

  TEST_CASE("doForward and destinationMixerName default when absent") {
    auto c = parseClientAs<CreateComposition>(createWith("doForward", nullptr));
    CHECK(c.request.mixers[0].doForward == true);
    auto d = parseClientAs<CreateComposition>(createWith("destinationMixerName", nullptr));
    CHECK(d.request.mixers[0].destinationMixerName == "");
  }

  TEST_CASE("compositionRequestFromJson ignores type and refuses non-objects") {
    json j = json::parse(kReferenceCreate);
    j.erase("type");
    CHECK(compositionRequestFromJson(j).ok());
    CHECK_FALSE(compositionRequestFromJson(json::array()).ok());
    CHECK_FALSE(compositionFromJson(json("x")).ok());
    CHECK(compositionFromJson(json{{"mixers", json::array()}}).error().message() == "event: missing");
  }

  TEST_CASE("typeName names every message as on the wire") {
    CHECK(std::string(typeName(ClientMessage(Promote{}))) == "promote");
    CHECK(std::string(typeName(ClientMessage(CreateComposition{}))) == "createComposition");
    CHECK(std::string(typeName(ClientMessage(GetActiveStreams{}))) == "getActiveStreams");
    CHECK(std::string(typeName(ServerMessage(ActiveCompositions{}))) == "activeCompositions");
    CHECK(std::string(typeName(ServerMessage(ErrorReply{}))) == "error");
  }
}
