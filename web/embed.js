// Backprop Explorer: helper for pages that embed the explorer in an <iframe>.
//
//   <iframe id="bpx" src="backprop/index.html#embed=1&panels=diagram,derivation"
//           title="Backprop Explorer" style="width:100%;border:0" loading="lazy"></iframe>
//   <script src="backprop/embed.js"></script>
//   <script>
//     const bpx = BackpropExplorerEmbed.connect(document.getElementById("bpx"));
//     bpx.call("select", {layer: 1, to: 2, from: 1}).then((result) => console.log(result));
//   </script>
//
// connect() keeps the iframe as tall as its content and returns {call(op, args), ready}:
// `ready` resolves with the embed's State once its Python answers; calls wait for it.
// Operations: getState, setState, select, step, gradients, preset, edit, resetWeights,
// restoreSeed (the same as window.backpropExplorer inside the page). A call resolves with the
// result or rejects with an Error whose `field` names the State field that was refused.
(function () {
  "use strict";
  var CALL = "backprop-explorer:call";
  var REPLY = "backprop-explorer:reply";
  var HEIGHT = "backprop-explorer:height";

  function connect(iframe, options) {
    var autoResize = !options || options.autoResize !== false;
    var pending = {};
    var nextId = 1;
    var origin = new URL(iframe.src, location.href).origin;

    window.addEventListener("message", function (event) {
      if (event.source !== iframe.contentWindow) return; // only our own iframe speaks to us
      var msg = event.data || {};
      if (msg.type === HEIGHT && autoResize && typeof msg.height === "number") {
        iframe.style.height = msg.height + "px";
      } else if (msg.type === REPLY && pending[msg.id]) {
        var call = pending[msg.id];
        delete pending[msg.id];
        if (msg.ok) call.resolve(msg.result);
        else {
          var err = new Error(msg.error.message);
          err.field = msg.error.field;
          call.reject(err);
        }
      }
    });

    function post(op, args) {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        pending[id] = { resolve: resolve, reject: reject };
        var target = origin === "null" || origin === "file://" ? "*" : origin;
        iframe.contentWindow.postMessage({ type: CALL, id: id, op: op, args: args }, target);
      });
    }

    // The embed answers once its Python is ready; a message sent before its page has loaded
    // is lost, so ask again every 250 ms until the first answer arrives.
    var ready = new Promise(function (resolve, reject) {
      var answered = false;
      function ask() {
        if (answered) return;
        post("getState").then(function (state) {
          if (!answered) {
            answered = true;
            resolve(state);
          }
        }, function (err) {
          answered = true;
          reject(err);
        });
        setTimeout(ask, 250);
      }
      ask();
    });

    function call(op, args) {
      return ready.then(function () {
        return post(op, args);
      });
    }

    return { call: call, ready: ready };
  }

  window.BackpropExplorerEmbed = { connect: connect };
})();
