// A task page (photos being added): look again every second until the server sends the result.
setTimeout(function () { location.reload(); }, 1000);
